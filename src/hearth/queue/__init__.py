"""Redis connection, RQ queues and job payloads, reply streams, spec publication."""
