// The dashboard's shell: the top bar and the hash router (#/databases/…, #/console, #/monitor,
// #/users, #/login). The server serves only static files, so every route lives in the hash.
import './app.css';
import {currentSession, logout, onSessionChange} from './api.js';
import {h, mount} from './dom.js';
import {startSampling, stopSampling} from './monitor.js';
import {renderLogin} from './pages/login.js';
import {renderDatabases} from './pages/databases.js';
import {renderConsole} from './pages/console.js';
import {renderMonitor} from './pages/monitor.js';
import {renderUsers} from './pages/users.js';

const PAGES = {
  databases: {title: 'Databases', render: renderDatabases},
  console: {title: 'SQL console', render: renderConsole},
  monitor: {title: 'Monitor', render: renderMonitor},
  users: {title: 'Users', render: renderUsers, superuser: true},
};

const root = document.getElementById('app');
let cleanup = null;
let returnTo = null;

function route() {
  const [name = '', ...params] = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return {name, params};
}

function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function render() {
  if (cleanup) cleanup();
  cleanup = null;
  const session = currentSession();
  const {name, params} = route();
  if (!session) {
    if (name !== 'login') returnTo = location.hash;
    document.title = 'LytDB — log in';
    mount(root, renderLogin());
    return;
  }
  const page = PAGES[name];
  if (!page || (page.superuser && !session.superuser)) {
    navigate('#/databases');
    return;
  }
  document.title = `LytDB — ${page.title}`;
  const main = h('main', {class: `page page-${name}`, testid: `page-${name}`});
  mount(root, topBar(session, name), main);
  cleanup = page.render(main, params) || null;
}

function topBar(session, active) {
  const links = Object.entries(PAGES)
    .filter(([, page]) => !page.superuser || session.superuser)
    .map(([name, page]) => h('a', {href: `#/${name}`, class: name === active ? 'active' : null,
      testid: `nav-${name}`, 'aria-current': name === active ? 'page' : null}, page.title));
  return h('header', {class: 'topbar'},
    h('a', {class: 'brand', href: '#/databases'}, h('span', {class: 'logo'}, 'L'), 'LytDB'),
    h('nav', {}, links),
    h('span', {class: 'spacer'}),
    h('span', {class: 'who', testid: 'current-user', title: session.superuser ? 'superuser' : 'user'},
      session.user, session.superuser ? h('span', {class: 'badge'}, 'superuser') : null),
    h('button', {class: 'ghost', testid: 'logout', onclick: () => logout()}, 'Log out'));
}

// After a login the app goes to the page that asked for it; after a logout or a 401, to login.
onSessionChange((session) => {
  if (!session) {
    stopSampling();
    render();
    return;
  }
  startSampling();
  const target = returnTo && returnTo !== '#/login' && returnTo !== '#' ? returnTo : '#/databases';
  returnTo = null;
  navigate(target);
});
window.addEventListener('hashchange', render);
if (currentSession()) startSampling();
render();
