class WorkflowError(Exception):
    """A refused state change; the message (French) says why and is shown to the user."""
