// Starts fauxqs's SQS/SNS server on the loopback interface only. The package's own cli.js always listens on
// 0.0.0.0; its buildApp() is the same server without that choice. Port: FAUXQS_PORT (default 4566).
import { buildApp } from "fauxqs";

const port = Number.parseInt(process.env.FAUXQS_PORT ?? "4566", 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`FAUXQS_PORT '${process.env.FAUXQS_PORT}' is not a port number.`);
  process.exit(2);
}

const app = buildApp({ logger: process.env.FAUXQS_LOGGER === "true", defaultRegion: "us-east-1" });
try {
  const address = await app.listen({ port, host: "127.0.0.1" });
  console.log(`fauxqs listening at ${address}`);
} catch (error) {
  console.error(error);
  process.exit(1);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => app.close().finally(() => process.exit(0)));
}
