// DPSynthPrivacy: sources arrive with its issue.
