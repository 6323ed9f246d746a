class BaseSmsBackend:
    """A text-message backend: ``send_messages`` gets a list of ``TextMessage`` and returns how many
    were sent. It may raise; the caller logs and retries (the notifications' task)."""

    def send_messages(self, messages):
        raise NotImplementedError("an SMS backend implements send_messages(messages)")
