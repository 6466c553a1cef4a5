"""The Telegram layer of newsbot: the CLI, handlers, jobs and rendering."""
