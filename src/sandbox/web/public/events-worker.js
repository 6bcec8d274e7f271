// One event stream for every tab of the sandbox: a browser keeps at most six connections to a
// host, so a tab per persona holding its own stream froze the seventh. The tabs subscribe here
// to their chat; the worker forwards each chat's events, and replays those a tab may have
// missed between reading its chat and subscribing.
const ports = new Map(); // port -> chat id
const recent = []; // the last events, for late subscribers
let source;

function deliver(port, chatId, e) {
  if (e.type === "reset" || e.type === "commands" || e.chat_id === chatId) port.postMessage(e);
}

function connect(after) {
  source = new EventSource(`/api/events?after=${after}`);
  source.onmessage = (ev) => {
    const e = JSON.parse(ev.data);
    recent.push(e);
    if (recent.length > 500) recent.shift();
    for (const [port, chatId] of ports) deliver(port, chatId, e);
  };
  source.addEventListener("reset", () => {
    recent.length = 0;
    for (const port of ports.keys()) port.postMessage({ type: "reset" });
  });
}

self.onconnect = (ev) => {
  const port = ev.ports[0];
  port.onmessage = (msg) => {
    const { chatId, after, close } = msg.data;
    if (close) {
      ports.delete(port);
      return;
    }
    ports.set(port, chatId);
    // The first tab's position starts the stream; later tabs catch up from what was kept.
    if (!source) connect(after);
    else for (const e of recent) if (e.seq > after) deliver(port, chatId, e);
  };
};
