import { api, session } from './api.js';
import { h, clear } from './dom.js';
import { Plant } from './plant.js';
import { bigScreen } from './screen.js';
import { floorPlan } from './floor.js';
import { fleetMap } from './map.js';
import { fleetScreen } from './fleet.js';
import { machinePage } from './machine.js';
import { alarmConsole } from './alarms.js';
import { kpiPage } from './kpis.js';
import { productionPage } from './production.js';
import { goalsPage } from './goals.js';
import { embroideryPage } from './embroidery.js';
import { tailoringPage } from './tailoring.js';
import { innovationPage } from './innovation.js';

const view = document.getElementById('view');
const top = document.getElementById('top');
const signin = document.getElementById('signin');
let plant = null;
let leave = () => {};

// Frame times, for the benchmark and for anyone curious (window.millwright.frames in the console).
const frames = { intervals: [], last: 0 };
function tick(t) {
  if (frames.last) {
    frames.intervals.push(t - frames.last);
    if (frames.intervals.length > 100_000) frames.intervals.splice(0, 50_000);
  }
  frames.last = t;
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);
window.millwright = { frames, get stats() { return plant?.stats; } };

document.getElementById('signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('key');
  const error = document.getElementById('signin-error');
  error.textContent = '';
  const key = input.value.trim();
  try {
    await api('/api/v1/sites?limit=1', { key });
  } catch (err) {
    error.textContent = err.status === 401 ? 'The key was refused: it is unknown, malformed or revoked.'
      : err.status === 403 ? 'This key belongs to no tenant (a platform key): sign in with a key of a tenant.'
        : `The server could not check the key: ${err.message}`;
    return;
  }
  input.value = '';
  session.key = key;
  await start();
});

document.getElementById('signout').addEventListener('click', () => {
  session.key = null;
  stop();
  showSignin();
});

function showSignin() {
  top.hidden = true;
  clear(view);
  signin.hidden = false;
  document.getElementById('key').focus();
}

function stop() {
  leave();
  leave = () => {};
  plant?.stop();
  plant = null;
}

async function start() {
  stop();
  signin.hidden = true;
  top.hidden = false;
  clear(view).append(h('p', { class: 'hint' }, 'Loading the plant…'));
  plant = new Plant(session.key);
  try {
    await plant.load();
  } catch (err) {
    if (err.status === 401 || err.status === 403) { session.key = null; showSignin(); return; }
    clear(view).append(h('p', { class: 'error' }, `Could not load the plant: ${err.message}`));
    return;
  }
  plant.on((kind, detail) => {
    if (kind === 'link') document.getElementById('link').dataset.link = detail;
    if (kind === 'welcome') document.getElementById('who').textContent = `tenant ${detail.tenant} · ${detail.role}`;
    if (kind === 'alarms') {
      const count = document.getElementById('alarm-count');
      const n = plant.alarms.filter((a) => a.state === 'active' || a.state === 'rtn_unack').length;
      count.hidden = n === 0;
      count.textContent = String(n);
    }
  });
  plant.start();
  route();
}

function route() {
  if (!plant) return;
  leave();
  const hash = location.hash.replace(/^#/, '') || '/';
  const parts = hash.split('/').filter(Boolean);
  const page = parts[0] ?? 'screen';
  for (const a of top.querySelectorAll('[data-nav]')) a.classList.toggle('current', a.dataset.nav === page || (page === 'machine' && a.dataset.nav === 'screen'));
  if (page === 'floor') leave = floorPlan(view, plant);
  else if (page === 'map') leave = fleetMap(view, plant);
  else if (page === 'fleet') leave = fleetScreen(view, plant);
  else if (page === 'alarms') leave = alarmConsole(view, plant);
  else if (page === 'kpis') leave = kpiPage(view, plant);
  else if (page === 'production') leave = productionPage(view, plant);
  else if (page === 'goals') leave = goalsPage(view);
  else if (page === 'embroidery') leave = embroideryPage(view, plant);
  else if (page === 'tailoring') leave = tailoringPage(view, plant);
  else if (page === 'innovation') leave = innovationPage(view);
  else if (page === 'machine' && /^\d+$/.test(parts[1] ?? '')) leave = machinePage(view, plant, Number(parts[1]));
  else leave = bigScreen(view, plant);
}

window.addEventListener('hashchange', route);
if (session.key) start(); else showSignin();
