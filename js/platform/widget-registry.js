// Widgets render from the most recently initialised live instance; they re-render when it changes.
const instances = [];
const watchers = new Set();

export function currentInstance() {
  return instances[instances.length - 1] || null;
}

export function attachInstance(instance) {
  instances.push(instance);
  for (const watcher of watchers) watcher(currentInstance());
}

export function detachInstance(instance) {
  const index = instances.indexOf(instance);
  if (index >= 0) instances.splice(index, 1);
  for (const watcher of watchers) watcher(currentInstance());
}

export function watchInstance(watcher) {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}
