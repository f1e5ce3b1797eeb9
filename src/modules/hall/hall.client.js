/* global document, window, fetch, EventSource, DOMParser, setTimeout, clearTimeout, location */
// The hall's only script, and optional: every page works without it. It refreshes a thread or a staff
// queue when the server says it changed (server-sent events), and shows similar questions while typing.
(function () {
  'use strict';

  var live = document.querySelector('[data-live]');
  if (live && window.EventSource) {
    var source = new EventSource(live.getAttribute('data-live'));
    var busy = false;
    source.addEventListener('update', function () {
      if (busy) return;
      busy = true;
      fetch(location.href, { credentials: 'same-origin' })
        .then(function (r) {
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-live-region]');
          var current = document.querySelector('[data-live-region]');
          if (fresh && current) current.innerHTML = fresh.innerHTML;
        })
        .catch(function () {})
        .then(function () {
          busy = false;
        });
    });
  }

  var body = document.getElementById('body');
  var title = document.getElementById('title');
  var panel = document.getElementById('similar');
  var results = document.getElementById('similar-results');
  if (!body || !panel || !results || !window.fetch) return;
  var labels = JSON.parse(panel.getAttribute('data-suggest-labels') || '{}');
  var timer = null;
  var render = function (data) {
    results.textContent = '';
    var items = (data && data.similar) || [];
    if (!items.length) {
      var p = document.createElement('p');
      p.textContent = labels.none || '';
      results.appendChild(p);
      return;
    }
    var ul = document.createElement('ul');
    items.forEach(function (s) {
      var li = document.createElement('li');
      var tag = document.createElement('span');
      tag.className = 'meta';
      tag.textContent = (labels[s.type] || s.type) + ' ';
      var a = document.createElement('a');
      a.href = s.href;
      a.textContent = s.title;
      li.appendChild(tag);
      li.appendChild(a);
      ul.appendChild(li);
    });
    results.appendChild(ul);
  };
  var ask = function () {
    var text = body.value.trim();
    if (text.length < 4) return;
    fetch('/api/v1/hall/suggest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: title ? title.value : '', body: text }),
    })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (data) {
        if (data) render(data);
      })
      .catch(function () {});
  };
  var schedule = function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(ask, 500);
  };
  body.addEventListener('input', schedule);
  if (title) title.addEventListener('input', schedule);
})();
