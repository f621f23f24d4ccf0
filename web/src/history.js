// The console's history: the last LIMIT statements run, newest first, in localStorage.
const KEY = 'lytdb.history';
export const LIMIT = 50;

export function loadHistory() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY));
    return Array.isArray(list) ? list.filter((e) => e && typeof e.sql === 'string') : [];
  } catch {
    return [];
  }
}

// Adds a statement (moving an equal earlier one to the top) and returns the new list.
export function addToHistory(sql, database) {
  const list = loadHistory().filter((e) => !(e.sql === sql && e.database === database));
  list.unshift({sql, database, at: Date.now()});
  list.length = Math.min(list.length, LIMIT);
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the history just is not kept.
  }
  return list;
}

export function clearHistory() {
  localStorage.removeItem(KEY);
}
