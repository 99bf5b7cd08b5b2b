/** Kept apart from the command so the CLI's usage text does not load the web server. */
export const SERVE_USAGE = `serve [--port P] [--seed S] [--step-delay MS] [--static DIR] [--token T] [--json]
  Serves the UI and its control channel on 127.0.0.1 (web mode) and prints the URL first (with --json, one JSON
  line: url, port, token, pid). --token fixes the token (32 to 128 characters of A-Z a-z 0-9 _ -) instead of a
  fresh one per launch. --static defaults to this package's out/renderer (npm run build:web). Runs until SIGINT or
  SIGTERM. Exit: 0 closed, 1 forced at the 3 s deadline, 2 bad arguments, no built renderer in the --static
  folder, or the --port taken (said in one line).`
