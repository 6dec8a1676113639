// A small local HTTP server for the fetch examples. It runs in a process of its own: a server in
// the caller's own thread could not answer while that thread is blocked in a call (README, Gotchas).
// It prints its URL on stdout, then serves until its parent closes stdin.
import { createServer } from "node:http";

const routes = {
  "/hello": (_request, response) => {
    response.writeHead(200, { "content-type": "text/plain", "x-example": "yes" });
    response.end("hello from a local server");
  },
  "/config.json": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ name: "demo", retries: 3 }));
  },
  "/echo": (request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(`${request.method} ${body}`);
    });
  },
  "/import-map.json": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ imports: { "remote:answer": "/answer.mjs" } }));
  },
  "/answer.mjs": (_request, response) => {
    response.writeHead(200, { "content-type": "text/javascript" });
    response.end("export const answer = 42;\nexport default function greet(name) { return `hello, ${name}`; }\n");
  },
};

const server = createServer((request, response) => {
  const route = routes[new URL(request.url, "http://x").pathname];
  if (route) return route(request, response);
  response.writeHead(404, { "content-type": "text/plain" });
  response.end("not found");
});
server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${server.address().port}`);
});
process.stdin.resume();
process.stdin.on("end", () => server.close());
