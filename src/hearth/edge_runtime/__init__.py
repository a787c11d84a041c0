"""The edge worker: llama.cpp engine, agent loop, tools, DuckDB memory and traces."""
