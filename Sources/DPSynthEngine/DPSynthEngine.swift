// DPSynthEngine: sources arrive with its issue.
