/** `scan` parses `.env`, `.env.*` and `*.env` files as key/value pairs. */
import { registerStructuredHandler } from "../structured.js";
import { analyzeDotenv } from "./analyze.js";
import { isDotenvPath } from "./parse.js";

registerStructuredHandler({
  name: "dotenv",
  matches: (path) => isDotenvPath(path),
  scan: analyzeDotenv,
});
