"""`python -m bench`: latency, throughput, memory, start-up and training time of our assistant against `rasa init`.

Modules: stats (percentiles, per-level summary), load (the asyncio load generator), procfs (what /proc says about
a process), processes (spawn and stop process groups), assistants (prepare, train and start each assistant),
machine (what the figures were measured on), report (Markdown and JSON), __main__ (the CLI that runs it all).
"""
