import sys

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    """Writes each message to standard output (development)."""

    def send_messages(self, messages):
        for message in messages:
            sys.stdout.write(f"SMS to {message.to} [{message.kind}]: {message.text}\n")
        sys.stdout.flush()
        return len(messages)
