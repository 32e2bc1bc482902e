// The live feed (docs/live-feed.md): log in with {"key"} as the first message (a browser cannot set headers on a
// WebSocket, and a key in the URL is refused), subscribe to the tenant's sites, then apply snapshots, value
// changes, state changes and alarm transitions; and, while a screen asks for them, the fleet's positions.
// Reconnects with back-off; a close for policy (1008) right after connecting means the key was refused.
export class Live {
  constructor(key, { onWelcome, onValues, onLink, onState, onAlarm, onLost, onPositions, onPositionsLost }) {
    this.key = key;
    this.onWelcome = onWelcome;
    this.onValues = onValues;
    this.onLink = onLink;
    this.onState = onState;
    this.onAlarm = onAlarm;
    this.onLost = onLost;
    this.onPositions = onPositions;
    this.onPositionsLost = onPositionsLost;
    this.positions = false;
    this.welcomed = false;
    this.sites = [];
    this.delay = 500;
    this.stopped = false;
  }

  start(sites) {
    this.sites = sites;
    this.connect();
  }

  /** Starts or stops the fleet positions (every machine's moves, not bounded by the machines a connection may cover). */
  watchPositions(on) {
    if (this.positions === on) return;
    this.positions = on;
    if (this.ws?.readyState === WebSocket.OPEN && this.up) this.ws.send(JSON.stringify({ [on ? 'subscribe' : 'unsubscribe']: { positions: true } }));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    this.ws?.close(1000);
  }

  connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live`;
    const ws = new WebSocket(url);
    this.ws = ws;
    this.onLink('connecting');
    this.up = false;
    ws.onopen = () => ws.send(JSON.stringify({ key: this.key }));
    ws.onmessage = (event) => this.receive(JSON.parse(event.data));
    ws.onclose = (event) => {
      if (this.stopped) return;
      this.onLink(event.code === 1008 ? 'refused' : 'down');
      // Kept so stop() can clear it: a reconnect due after leaving would open a feed nobody reads.
      this.retry = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 10_000);
    };
  }

  receive(m) {
    if (m.welcome) {
      this.delay = 500;
      this.up = true;
      // Subscribed before the page hears the feed is up: a read it makes on 'up' (states after a break) then starts
      // after the subscription was sent, so a change between the two is pushed, not lost.
      if (this.sites.length) this.ws.send(JSON.stringify({ subscribe: { sites: this.sites } }));
      if (this.positions) this.ws.send(JSON.stringify({ subscribe: { positions: true } }));
      this.onLink('up');
      this.onWelcome?.(m.welcome);
      // Moves made while the feed was down were not sent: the screen reads the positions again.
      if (this.positions && this.welcomed) this.onPositionsLost?.();
      this.welcomed = true;
    } else if (m.snapshot) {
      for (const machine of m.snapshot) {
        const values = {};
        for (const [tag, v] of Object.entries(machine.values)) values[tag] = v;
        this.onValues(machine.machine, values, true);
        if (machine.state) this.onState({ machine: machine.machine, ...machine.state });
      }
    } else if (m.state) {
      this.onState(m.state);
    } else if (m.alarm) {
      this.onAlarm(m.alarm);
    } else if (m.eventsLost) {
      this.onLost();
    } else if (m.positions?.ids) {
      this.onPositions?.(m.positions);
    } else if (m.positionsLost) {
      this.onPositionsLost?.();
    } else if (m.machine !== undefined && m.values) {
      const values = {};
      for (const [tag, value] of Object.entries(m.values)) values[tag] = { value, ts: m.ts };
      this.onValues(m.machine, values, false);
    }
  }
}
