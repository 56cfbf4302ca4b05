/* Cascada: the session-logging form keeps working without a connection.
   Progressive enhancement only: without JavaScript the form posts normally.
   - shows the running totals by sex and by age band, and warns when they differ;
   - registers a service worker (/sw.js) that keeps this page and its assets for offline use;
   - when offline (or the network fails), the submission is queued in IndexedDB with its own
     idempotency key and listed as "waiting to send"; the queue is sent when the connection
     returns, and the server's idempotency keys make a resend create nothing twice. */
(function () {
  'use strict';
  var form = document.getElementById('session-form');
  if (!form) return;
  var msg = form.dataset;
  // Each queued session belongs to the account that saved it: on a shared computer it is sent only
  // when that account is signed in again, never under someone else's session.
  var me = form.dataset.user || '';
  var statusBox = document.getElementById('offline-status');
  var queueBox = document.getElementById('outbox-queue');
  var queueList = document.getElementById('queue-list');

  function sum(ids) {
    return ids.reduce(function (total, id) {
      var el = document.getElementById(id);
      var n = el ? parseInt(el.value, 10) : 0;
      return total + (isNaN(n) ? 0 : n);
    }, 0);
  }
  var sexIds = ['f-p_female', 'f-p_male', 'f-p_unspecified'];
  var ageIds = ['f-a_under_10', 'f-a_10_14', 'f-a_15_17', 'f-a_18_plus'];
  function updateTotals() {
    var s = sum(sexIds),
      a = sum(ageIds);
    var ts = document.getElementById('total-sex'),
      ta = document.getElementById('total-age');
    if (ts) ts.textContent = '= ' + s;
    if (ta) ta.textContent = '= ' + a;
    var mismatch = s !== a;
    if (ta) ta.className = 'total' + (mismatch ? ' mismatch' : '');
    return !mismatch;
  }
  sexIds.concat(ageIds).forEach(function (id) {
    var el = document.getElementById(id);
    if (el) el.addEventListener('input', updateTotals);
  });
  updateTotals();

  function say(text) {
    if (!statusBox) return;
    statusBox.textContent = text;
    statusBox.hidden = !text;
  }

  // --- IndexedDB queue -------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!('indexedDB' in window)) return Promise.reject(new Error('no IndexedDB'));
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open('cascada-offline', 1);
        open.onupgradeneeded = function () {
          open.result.createObjectStore('queue', { keyPath: 'key' });
        };
        open.onsuccess = function () {
          resolve(open.result);
        };
        open.onerror = function () {
          reject(open.error);
        };
      });
    }
    return dbPromise;
  }
  function store(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction('queue', mode);
        var result = work(tx.objectStore('queue'));
        tx.oncomplete = function () {
          resolve(result && result.result);
        };
        tx.onerror = function () {
          reject(tx.error);
        };
      });
    });
  }
  function allQueued() {
    return store('readonly', function (s) {
      return s.getAll();
    });
  }
  function put(item) {
    return store('readwrite', function (s) {
      return s.put(item);
    });
  }
  function remove(key) {
    return store('readwrite', function (s) {
      return s.delete(key);
    });
  }

  function render() {
    return allQueued()
      .then(function (items) {
        items = items || [];
        queueBox.hidden = items.length === 0;
        queueList.innerHTML = '';
        items.forEach(function (item) {
          var li = document.createElement('li');
          var state = item.error
            ? item.error
            : item.user && item.user !== me
              ? msg.msgOtherUser
              : msg.msgWaiting;
          li.textContent = item.summary + ' — ' + state;
          li.setAttribute('data-key', item.key);
          queueList.appendChild(li);
        });
      })
      .catch(function () {});
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'k' + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function summary(data) {
    var school = form.querySelector('#f-schoolId');
    var label = school && school.selectedIndex > 0 ? school.options[school.selectedIndex].text : '';
    return (data.get('date') || '') + ' · ' + label;
  }

  function send(item) {
    return fetch(form.getAttribute('action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: item.body,
    }).then(function (res) {
      if (res.redirected && /\/login/.test(res.url)) return { signIn: true };
      if (res.status === 201)
        return res.json().then(function (b) {
          return { ok: true, url: b.url };
        });
      if (res.status >= 400 && res.status < 500)
        return res.json().then(
          function (b) {
            return { refused: true, message: Array.isArray(b.message) ? b.message.join(' ') : b.message };
          },
          function () {
            return { refused: true, message: String(res.status) };
          },
        );
      return { retry: true };
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return allQueued()
      .then(function (items) {
        var chain = Promise.resolve();
        (items || [])
          .filter(function (i) {
            return !i.error && (!i.user || i.user === me);
          })
          .forEach(function (item) {
            chain = chain.then(function () {
              return send(item).then(function (r) {
                if (r.ok)
                  return remove(item.key).then(function () {
                    say(msg.msgSent);
                  });
                if (r.signIn) {
                  say(msg.msgSignin);
                  throw new Error('sign in');
                }
                if (r.refused) {
                  item.error = msg.msgFailed + ' ' + (r.message || '');
                  return put(item);
                }
                throw new Error('retry later');
              });
            });
          });
        return chain;
      })
      .catch(function () {})
      .then(function () {
        flushing = false;
        return render();
      });
  }

  form.addEventListener('submit', function (event) {
    if (!updateTotals()) {
      event.preventDefault();
      say(msg.msgMismatch);
      return;
    }
    if (!('indexedDB' in window) || !window.fetch) return; // plain form post
    event.preventDefault();
    var data = new FormData(form);
    data.set('idempotencyKey', newKey());
    var item = {
      key: data.get('idempotencyKey'),
      user: me,
      body: new URLSearchParams(data).toString(),
      summary: summary(data),
      createdAt: Date.now(),
    };
    var queueIt = function () {
      return put(item).then(function () {
        say(msg.msgQueued);
        form.reset();
        updateTotals();
        return render();
      });
    };
    if (!navigator.onLine) {
      queueIt();
      return;
    }
    send(item).then(function (r) {
      if (r.ok) {
        window.location.assign(r.url);
        return;
      }
      if (r.refused || r.signIn) {
        form.submit();
        return;
      } // let the server page show the messages
      return queueIt();
    }, queueIt);
  });

  window.addEventListener('online', function () {
    say('');
    flush();
  });
  window.addEventListener('offline', function () {
    say(msg.msgOffline);
  });
  if (!navigator.onLine) say(msg.msgOffline);
  render().then(flush);

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
  }
})();
