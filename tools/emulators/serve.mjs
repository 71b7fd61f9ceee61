// Starts one of the pinned AWS-compatible servers on the loopback interface:
//
//   node serve.mjs dynamodb|sqs|ses --port P
//
// Each server runs in this process through the package's own API, bound to 127.0.0.1 (fauxqs's cli.js always
// listens on 0.0.0.0). The server stops when standard input closes, so a test run that dies without cleaning
// up leaves no server behind; pass --detach to keep it running without a parent (manual use).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const host = "127.0.0.1";

function fail(message) {
  console.error(`serve.mjs: ${message}`);
  process.exit(2);
}

const [service, ...rest] = process.argv.slice(2);
let port;
let detach = false;
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === "--port") {
    port = Number.parseInt(rest[++i] ?? "", 10);
  } else if (rest[i] === "--detach") {
    detach = true;
  } else {
    fail(`unknown argument '${rest[i]}'. Usage: node serve.mjs dynamodb|sqs|ses --port P [--detach]`);
  }
}
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  fail("--port must be a port number between 1 and 65535.");
}

async function start() {
  switch (service) {
    case "dynamodb": {
      // Tables become ACTIVE at once instead of after dynalite's default 500 ms.
      const server = require("dynalite")({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, resolve);
      });
      return () => new Promise((resolve) => server.close(() => resolve()));
    }
    case "sqs": {
      const { buildApp } = await import("fauxqs");
      const app = buildApp({ logger: false, defaultRegion: "us-east-1" });
      await app.listen({ port, host });
      return () => app.close();
    }
    case "ses": {
      // Without SMTP_TRANSPORT the server keeps mail in memory (GET /store) and relays nothing.
      delete process.env.SMTP_TRANSPORT;
      const server = await require("aws-ses-v2-local").default({ host, port });
      // Express 5 hands a listen error to the callback, which this package treats as success.
      if (!server.listening) {
        throw Object.assign(new Error(`address ${host}:${port} is not available`), { code: "EADDRINUSE" });
      }
      return () => new Promise((resolve) => server.close(() => resolve()));
    }
    default:
      fail(`unknown service '${service ?? ""}': expected dynamodb, sqs or ses.`);
  }
}

try {
  const stop = await start();
  console.log(`${service} listening at http://${host}:${port}`);
  const shutdown = () => Promise.resolve(stop()).finally(() => process.exit(0));
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  if (!detach) {
    process.stdin.on("end", shutdown);
    process.stdin.on("error", shutdown);
    process.stdin.resume();
  }
} catch (error) {
  console.error(`serve.mjs: ${service} could not listen on ${host}:${port}: ${error?.code ?? ""} ${error?.message ?? error}`);
  process.exit(1);
}
