"""``statuspress notify``: tell subscribers what changed between two published sites.

The inputs are public outputs only (the ``api/v2`` documents of the site just built and of the
one published before), so no notification can carry anything the status page does not show.

- :mod:`.snapshot` reads a public site from a folder, a git branch or a live URL;
- :mod:`.events` derives events (incident created/updated/resolved, component updated,
  maintenance scheduled/started/completed) from two snapshots;
- :mod:`.state` remembers which events each channel received, so each is sent once;
- :mod:`.channels` holds the :class:`~.channels.Notifier` interface and the built-ins (Apprise
  for text messages, Statuspage-compatible webhooks);
- :mod:`.run` ties them together for the CLI.

This module stays import-light: ``check`` reads :mod:`.config` and must not pay for Apprise.
"""
