// `tsx examples/fetch/demo.ts`: synchronous HTTP requests against a local server.
import { fetchJsonSync, fetchTextSync } from "./fetch-sync.js";
import { startServer } from "./start-server.js";

const server = await startServer();
try {
  const hello = fetchTextSync(`${server.url}/hello`);
  console.log(hello.status, hello.headers["x-example"], hello.body);

  const posted = fetchTextSync(`${server.url}/echo`, { method: "POST", body: "ping" });
  console.log(posted.body);

  console.log(fetchJsonSync(`${server.url}/config.json`));

  try {
    fetchJsonSync(`${server.url}/missing`);
  } catch (error) {
    console.log("error:", (error as Error).message.replace(server.url, "<server>"));
  }
} finally {
  server.stop();
}
