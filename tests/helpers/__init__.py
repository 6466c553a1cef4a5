"""What test modules share, by job; conftest.py holds only fixtures, and no test imports another.

samples.py: the paths, article text and image tests read. harness.py: the real application on
the in-process stand-in. clock.py: time in a test's hands. cli.py: `newsbot` in a subprocess.
processes.py: `newsbot run` against the stand-in over HTTP, and waiting on it. net.py: ports.
feed_server.py: a local web site (feeds, pages, redirects, 304s, slow and busy answers).
feed_site.py: feeds made to order, their stories' pages, a poller.
poll_process.py: `newsbot source poll` as a process of its own (crash tests).
"""
