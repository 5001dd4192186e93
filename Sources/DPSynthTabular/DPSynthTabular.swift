// DPSynthTabular: sources arrive with its issue.
