"""E-mail: the outbox and one module per aggregate that composes its messages.

The notifications listen; nothing calls them from below. The services send the app's signals
(:mod:`wagtail_beian.signals`) and :mod:`.receivers` connects them to :mod:`.filings`,
:mod:`.transfers`, :mod:`.claims` and :mod:`.tickets`. :mod:`.deadlines` writes the deadline
digests. Every message goes through :mod:`.outbox`: queued in the transaction of the change,
sent after commit, retried; in zh-Hans, plain text and HTML, with a link to where the reader acts.
"""
