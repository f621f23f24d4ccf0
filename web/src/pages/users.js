// User management for superusers: SHOW USERS and SHOW GRANTS, CREATE USER, GRANT and REVOKE,
// DROP USER, all through POST /v1/query with names and passwords quoted by sql.js.
import {api, currentSession} from '../api.js';
import {errorBox, h, mount} from '../dom.js';
import {PRIVILEGES, createUserSql, dropUserSql, grantSql} from '../sql.js';

// The rows of a result as objects keyed by column name.
function records(result) {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

export function renderUsers(main) {
  const message = h('div', {class: 'message-slot', 'aria-live': 'polite'});
  const usersBox = h('div', {}, h('p', {class: 'muted'}, 'Loading…'));
  const grantsBox = h('div', {});

  const name = h('input', {id: 'new-user-name', testid: 'user-create-name', required: true, autocomplete: 'off'});
  const password = h('input', {id: 'new-user-password', type: 'password', testid: 'user-create-password',
    required: true, autocomplete: 'new-password'});
  const superuser = h('input', {id: 'new-user-superuser', type: 'checkbox', testid: 'user-create-superuser'});
  const grantUser = h('select', {id: 'grant-user', testid: 'grant-user'});
  const grantPrivilege = h('select', {id: 'grant-privilege', testid: 'grant-privilege'},
    PRIVILEGES.map((p) => h('option', {value: p}, p)));
  const grantDatabase = h('select', {id: 'grant-database', testid: 'grant-database'});

  // Runs one statement, shows what happened, and reloads the lists.
  async function execute(sql, done) {
    mount(message);
    try {
      const r = await api.query(sql, 'main');
      mount(message, h('div', {class: 'ok-box', testid: 'users-message', role: 'status'}, done || r.command));
      await reload();
      return true;
    } catch (e) {
      mount(message, errorBox(e, 'users-error'));
      return false;
    }
  }

  async function reload() {
    try {
      const [users, grants, dbs] = await Promise.all([api.query('SHOW USERS', 'main'),
        api.query('SHOW GRANTS', 'main'), api.databases()]);
      const userList = records(users);
      showUsers(userList);
      showGrants(records(grants));
      fillSelect(grantUser, userList.map((u) => u.name));
      fillSelect(grantDatabase, dbs.databases.map((d) => d.name));
    } catch (e) {
      mount(usersBox, errorBox(e));
    }
  }

  function showUsers(users) {
    mount(usersBox, h('table', {class: 'grid', testid: 'users-grid'},
      h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Superuser'), h('th', {}))),
      h('tbody', {}, users.map((u) => h('tr', {testid: 'user-row', dataset: {name: u.name}},
        h('td', {}, u.name), h('td', {}, u.superuser ? '✓' : ''),
        h('td', {class: 'actions'}, u.name === currentSession().user ? null : h('button', {class: 'ghost small danger', testid: 'user-drop',
          onclick: () => confirm(`Drop user ${u.name}? Their grants go too.`) &&
            execute(dropUserSql(u.name), `Dropped user ${u.name}.`)}, 'Drop')))))));
  }

  function showGrants(grants) {
    mount(grantsBox, grants.length
      ? h('table', {class: 'grid', testid: 'grants-grid'},
        h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Database'), h('th', {}, 'Privilege'), h('th', {}))),
        h('tbody', {}, grants.map((g) => h('tr', {testid: 'grant-row', dataset: {user: g.user, database: g.database, privilege: g.privilege}},
          h('td', {}, g.user), h('td', {}, g.database), h('td', {}, h('span', {class: 'tag'}, g.privilege)),
          h('td', {class: 'actions'}, h('button', {class: 'ghost small danger', testid: 'grant-revoke',
            onclick: () => execute(grantSql('REVOKE', g.privilege, g.database, g.user),
              `Revoked ${g.privilege} on ${g.database} from ${g.user}.`)}, 'Revoke'))))))
      : h('p', {class: 'muted', testid: 'no-grants'}, 'No explicit grants.'));
  }

  async function onCreate(event) {
    event.preventDefault();
    const ok = await execute(createUserSql(name.value, password.value, superuser.checked),
      `Created user ${name.value}.`);
    if (ok) {
      name.value = '';
      password.value = '';
      superuser.checked = false;
    }
  }

  const onGrant = (action) => () => execute(grantSql(action, grantPrivilege.value, grantDatabase.value, grantUser.value),
    `${action === 'GRANT' ? 'Granted' : 'Revoked'} ${grantPrivilege.value} on ${grantDatabase.value} ${action === 'GRANT' ? 'to' : 'from'} ${grantUser.value}.`);

  mount(main,
    h('div', {class: 'section-head'}, h('h1', {}, 'Users')),
    message,
    h('div', {class: 'users-layout'},
      h('section', {}, h('h2', {}, 'Users'), usersBox, h('h2', {}, 'Grants'), grantsBox),
      h('section', {class: 'forms'},
        h('form', {class: 'panel', testid: 'user-create-form', onsubmit: onCreate},
          h('h2', {}, 'Create user'),
          h('label', {for: 'new-user-name'}, 'Name'), name,
          h('label', {for: 'new-user-password'}, 'Password'), password,
          h('label', {class: 'check'}, superuser, 'Superuser'),
          h('button', {type: 'submit', class: 'primary', testid: 'user-create-submit'}, 'Create user')),
        h('form', {class: 'panel', testid: 'grant-form', onsubmit: (e) => { e.preventDefault(); onGrant('GRANT')(); }},
          h('h2', {}, 'Grant or revoke'),
          h('label', {for: 'grant-privilege'}, 'Privilege'), grantPrivilege,
          h('label', {for: 'grant-database'}, 'On database'), grantDatabase,
          h('label', {for: 'grant-user'}, 'User'), grantUser,
          h('p', {class: 'muted small'}, 'REVOKE takes the level and those above it.'),
          h('div', {class: 'row'},
            h('button', {type: 'submit', class: 'primary', testid: 'grant-submit'}, 'Grant'),
            h('button', {type: 'button', class: 'ghost', testid: 'revoke-submit', onclick: onGrant('REVOKE')}, 'Revoke'))))));
  reload();
}

function fillSelect(select, values) {
  const keep = select.value;
  mount(select, values.map((v) => h('option', {value: v}, v)));
  if (values.includes(keep)) select.value = keep;
}
