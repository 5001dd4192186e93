// DPSynthAudit: sources arrive with its issue.
