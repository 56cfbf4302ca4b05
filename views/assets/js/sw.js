/* Cascada service worker: keeps the session-logging page and its assets so the form opens without
   a connection. Only GET requests are handled; submissions are queued by offline.js. */
var CACHE = 'cascada-offline-v2';
var PAGES = ['/cascade-sessions/new'];
var ASSETS = ['/assets/css/app.css', '/assets/js/offline.js', '/assets/img/favicon.svg'];

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        return cache.addAll(ASSETS.concat(PAGES)).catch(function () {});
      })
      .then(function () {
        return self.skipWaiting();
      }),
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (keys) {
        return Promise.all(
          keys
            .filter(function (k) {
              return k !== CACHE;
            })
            .map(function (k) {
              return caches.delete(k);
            }),
        );
      })
      .then(function () {
        return self.clients.claim();
      }),
  );
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/cascade-sessions/new') {
    // Network first, so online users always get a fresh form (and their own CSRF token); cache as fallback.
    event.respondWith(
      fetch(req)
        .then(function (res) {
          if (res.ok && !res.redirected) {
            var copy = res.clone();
            caches.open(CACHE).then(function (c) {
              c.put('/cascade-sessions/new', copy);
            });
          }
          return res;
        })
        .catch(function () {
          return caches.match('/cascade-sessions/new');
        }),
    );
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(
      caches.match(req).then(function (hit) {
        var network = fetch(req).then(function (res) {
          if (res.ok) {
            var copy = res.clone();
            caches.open(CACHE).then(function (c) {
              c.put(req, copy);
            });
          }
          return res;
        });
        // Addresses carry the file's version (?<hash>): a new one comes from the network; offline, any cached version does.
        return (
          hit ||
          network.catch(function () {
            return caches.match(req, { ignoreSearch: true });
          })
        );
      }),
    );
  }
});
