import type { Credentials } from '../credentials.js';
import { byId, setText } from './dom.js';

/** Asks for a viewer's login in a modal dialog; resolves when the operator submits it. */
export function askLogin(reason: string): Promise<{ credentials: Credentials; remember: boolean }> {
  const dialog = byId<HTMLDialogElement>('login');
  const form = byId<HTMLFormElement>('login-form');
  setText(byId('login-reason'), `${reason}. Log in as a user of role viewer (factory-anomaly users add <name> --role viewer).`);
  return new Promise((resolve) => {
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const username = byId<HTMLInputElement>('login-user').value.trim();
      const password = byId<HTMLInputElement>('login-password').value;
      if (username === '' || password === '') return;
      form.removeEventListener('submit', submit);
      byId<HTMLInputElement>('login-password').value = '';
      dialog.close();
      resolve({ credentials: { username, password }, remember: byId<HTMLInputElement>('login-remember').checked });
    };
    form.addEventListener('submit', submit);
    if (!dialog.open) dialog.showModal();
  });
}
