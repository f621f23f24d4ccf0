// The login page: POST /v1/login; a failure shows the server's message.
import {login} from '../api.js';
import {errorBox, h, mount} from '../dom.js';

// A successful login changes the session, and the shell moves on (main.js).
export function renderLogin() {
  const user = h('input', {id: 'login-user', name: 'user', autocomplete: 'username', required: true,
    value: 'admin', testid: 'login-user'});
  const password = h('input', {id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true, testid: 'login-password'});
  const submit = h('button', {type: 'submit', class: 'primary', testid: 'login-submit'}, 'Log in');
  const message = h('div', {class: 'message-slot', 'aria-live': 'polite'});

  async function onSubmit(event) {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = 'Logging in…';
    mount(message);
    try {
      await login(user.value.trim(), password.value);
    } catch (e) {
      mount(message, errorBox(e, 'login-error'));
      password.select();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Log in';
    }
  }

  const form = h('form', {class: 'login-card', testid: 'login-form', onsubmit: onSubmit},
    h('div', {class: 'login-brand'}, h('span', {class: 'logo'}, 'L'), 'LytDB'),
    h('p', {class: 'muted'}, 'Log in to the dashboard'),
    h('label', {for: 'login-user'}, 'User'), user,
    h('label', {for: 'login-password'}, 'Password'), password,
    message,
    submit);
  queueMicrotask(() => (user.value ? password : user).focus());
  return h('div', {class: 'login-page'}, form);
}
