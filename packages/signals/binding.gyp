{
  "targets": [
    {
      "target_name": "signals",
      "sources": ["src/signals.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
