"""PostgreSQL only: the database enforces who is acting and what each role may do.

``tables`` classifies every table (the one list to extend when a table is added),
``security`` turns that list into GRANTs, row-level security, SQL functions and triggers,
``admin`` answers "is this login the administrator?", ``errors`` turns the server's refusals
into plain messages. Nothing here imports Qt or the services.
"""
