// DPSynthModels: sources arrive with its issue.
