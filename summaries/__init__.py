"""The news domain: articles, their storage and their summaries. Pure and synchronous."""
