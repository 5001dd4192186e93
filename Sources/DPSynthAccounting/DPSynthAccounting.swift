// DPSynthAccounting: sources arrive with its issue.
