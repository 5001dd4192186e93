// DPSynthTestSupport: sources arrive with its issue.
