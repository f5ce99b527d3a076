// fieldpost's pages, made live. Every page: times become "5 s ago", kept
// current, with the reader's local time as their title. A channel page
// also draws each field's chart with dygraphs and polls the channel's JSON
// feed every second for readings newer than the last one it has, so a new
// reading shows within two seconds without reloading. The list of channels
// fetches itself again every 1.5 seconds and swaps in the cards that
// changed.
//
// All URLs are relative to the page, so the page works wherever the web
// server mounts fieldpost ("/", "/iot/", ...).
'use strict';

(function () {
  const kPollMilliseconds = 1000;
  const kListRefreshMilliseconds = 1500;
  const kMaxResults = 8000;  // the API's cap on results=
  // The feed query of each chart window, and how far back it reaches.
  const kWindows = {
    hour: {query: 'minutes=60', seconds: 3600},
    day: {query: 'days=1', seconds: 86400},
    week: {query: 'days=7', seconds: 7 * 86400},
    all: {query: '', seconds: 0},
  };

  function agoText(then, now) {
    const seconds = Math.max(0, Math.round((now - then) / 1000));
    if (seconds < 60) return seconds + ' s ago';
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + ' min ago';
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + ' h ago';
    return Math.floor(hours / 24) + ' days ago';
  }

  function refreshTimes() {
    const now = Date.now();
    for (const time of document.querySelectorAll('time[data-ago]')) {
      const then = new Date(time.dateTime);
      if (Number.isNaN(then.getTime())) continue;
      time.textContent = agoText(then, now);
      time.title = then.toLocaleString();
    }
  }

  // Shows `iso` in the <time> inside `parent`, made if missing.
  function showTime(parent, iso) {
    let time = parent.querySelector('time');
    if (!time) {
      time = document.createElement('time');
      parent.appendChild(time);
    }
    time.dateTime = iso;
    time.setAttribute('data-ago', '');
  }

  // Whether `entry` is at least as new as the reading `parent` shows the
  // time of: a page shows the last reading by created_at, as fields/N/last
  // and updated_at answer, so a late upload of an older one changes only
  // the chart. Of one second, the later arrival (the higher entry id) wins.
  function atLeastAsNew(parent, entry) {
    const time = parent.querySelector('time');
    return !time || !time.dateTime || Date.parse(entry.created_at) >= Date.parse(time.dateTime);
  }

  // One field of a channel page: its value, time and chart.
  class FieldView {
    constructor(section) {
      this.field = Number(section.dataset.field);
      this.name = section.querySelector('h2').textContent;
      this.value = section.querySelector('.value');
      this.when = section.querySelector('.when');
      this.chartElement = section.querySelector('.chart');
      this.note = section.querySelector('.chart-note');
      this.points = [];
      this.graph = null;
    }

    key() {
      return 'field' + this.field;
    }

    // The value shown is the field's last by time, as fields/N/last
    // answers; a bulk upload's older reading goes into the chart only.
    showReading(entry) {
      const value = entry[this.key()];
      if (value === null || value === undefined) return;
      if (!atLeastAsNew(this.when, entry)) return;
      this.value.textContent = value;
      showTime(this.when, entry.created_at);
    }

    // The chart's point for `entry`, or null when the field has no number.
    point(entry) {
      const value = Number.parseFloat(entry[this.key()]);
      if (!Number.isFinite(value)) return null;
      return [new Date(entry.created_at), value];
    }

    setPoints(entries) {
      this.points = [];
      for (const entry of entries) {
        const point = this.point(entry);
        if (point) this.points.push(point);
      }
    }

    addPoint(entry, oldestSeconds) {
      const point = this.point(entry);
      if (!point) return;
      // New entries are usually the newest, but a bulk upload may bring
      // older times: keep the points in time order, as dygraphs needs.
      const time = point[0].getTime();
      let at = this.points.length;
      while (at > 0 && this.points[at - 1][0].getTime() > time) --at;
      this.points.splice(at, 0, point);
      if (oldestSeconds > 0) {
        const oldest = Date.now() - oldestSeconds * 1000;
        while (this.points.length > 1 && this.points[0][0].getTime() < oldest) this.points.shift();
      }
    }

    draw(windowLabel) {
      const count = this.points.length;
      this.chartElement.setAttribute('aria-label', 'Chart of ' + this.name + ', ' + windowLabel +
                                                       ': ' + count + ' readings');
      if (count === 0) {
        if (this.graph) {
          this.graph.destroy();
          this.graph = null;
        }
        this.chartElement.hidden = true;
        this.note.textContent = 'No numeric readings in this window.';
        return;
      }
      this.chartElement.hidden = false;
      this.note.textContent = count >= kMaxResults ? 'Showing the newest ' + kMaxResults +
                                                         ' readings.' : '';
      if (this.graph) {
        this.graph.updateOptions({file: this.points});
        return;
      }
      this.graph = new Dygraph(this.chartElement, this.points, {
        labels: ['Time', this.name],
        colors: ['#1b5e9f'],
        strokeWidth: 2,
        drawPoints: true,
        pointSize: 2,
        showRangeSelector: true,
        rangeSelectorHeight: 32,
        legend: 'follow',
        axisLabelFontSize: 13,
        connectSeparatedPoints: true,
      });
    }
  }

  class ChannelPage {
    constructor(main) {
      this.channel = main.dataset.channel;
      this.apiKey = main.dataset.apiKey || '';
      this.lastEntryId = Number(main.dataset.lastEntry) || 0;
      this.fields = Array.from(main.querySelectorAll('section[data-field]'), s => new FieldView(s));
      this.live = main.querySelector('#live');
      this.lastChange = main.querySelector('#last-change');
      this.loaded = false;  // whether the chart window has been loaded
      this.updated = main.querySelector('.updated');
      this.windowName = 'day';
      // Window loads and polls run one at a time, in order.
      this.queue = Promise.resolve();
      // For scripts and tests: fieldpostPage.chart(N) is field N's Dygraph.
      window.fieldpostPage = this;
    }

    url(path, query) {
      const parts = [query];
      if (this.apiKey) parts.push('api_key=' + encodeURIComponent(this.apiKey));
      const search = parts.filter(Boolean).join('&');
      return this.channel + '/' + path + (search ? '?' + search : '');
    }

    async feed(query) {
      const response = await fetch(this.url('feeds.json', query), {cache: 'no-store'});
      if (!response.ok) throw new Error('the server answered ' + response.status);
      return response.json();
    }

    serially(task) {
      this.queue = this.queue.then(task, task);
      return this.queue;
    }

    windowLabel() {
      const checked = document.querySelector('input[name="window"]:checked');
      return checked ? checked.parentElement.textContent.trim().toLowerCase() : 'all';
    }

    async loadWindow() {
      const range = kWindows[this.windowName];
      const reply =
          await this.feed(['results=' + kMaxResults, range.query].filter(Boolean).join('&'));
      for (const field of this.fields) {
        field.setPoints(reply.feeds);
        field.draw(this.windowLabel());
      }
      // Readings that arrived after the page was rendered show at once.
      for (const entry of reply.feeds) this.accept(entry, false);
      this.loaded = true;
    }

    accept(entry, chart) {
      if (entry.entry_id <= this.lastEntryId) return false;
      this.lastEntryId = entry.entry_id;
      // A field written for the first time has no section yet: the page as
      // the server renders it now has one.
      for (let field = 1; field <= 8; ++field) {
        const value = entry['field' + field];
        if (value !== null && value !== undefined && !this.fields.some(f => f.field === field)) {
          location.reload();
        }
      }
      for (const field of this.fields) {
        field.showReading(entry);
        if (chart) field.addPoint(entry, kWindows[this.windowName].seconds);
      }
      if (!this.updated.querySelector('time')) this.updated.textContent = 'Last update: ';
      if (atLeastAsNew(this.updated, entry)) showTime(this.updated, entry.created_at);
      return true;
    }

    async poll() {
      // A window that failed to load (the server was away) is loaded now.
      if (!this.loaded) return this.loadWindow();
      const reply = await this.feed('start_entry_id=' + (this.lastEntryId + 1) +
                                    '&results=' + kMaxResults);
      if ((reply.channel.last_entry_id || 0) < this.lastEntryId) {
        // The channel was cleared: its entry ids started again at 1.
        this.lastEntryId = 0;
        await this.loadWindow();
        return;
      }
      let added = 0;
      for (const entry of reply.feeds) {
        if (this.accept(entry, true)) ++added;
      }
      if (added > 0) {
        for (const field of this.fields) field.draw(this.windowLabel());
        refreshTimes();
        this.lastChange.textContent = 'New reading at ' + new Date().toLocaleTimeString() + '.';
      }
    }

    async pollForever() {
      if (!document.hidden) {
        try {
          await this.serially(() => this.poll());
          if (this.live.classList.contains('offline') || !this.live.dataset.started) {
            this.live.classList.remove('offline');
            this.live.dataset.started = 'yes';
            this.live.textContent = 'Live: new readings appear here as they arrive.';
          }
        } catch (error) {
          this.live.classList.add('offline');
          this.live.textContent = 'Not connected (' + error.message + '); retrying.';
        }
      }
      setTimeout(() => this.pollForever(), kPollMilliseconds);
    }

    resetZoom() {
      for (const field of this.fields) {
        if (field.graph) field.graph.resetZoom();
      }
    }

    async start() {
      for (const radio of document.querySelectorAll('input[name="window"]')) {
        radio.addEventListener('change', () => {
          this.windowName = radio.value;
          this.serially(() => this.loadWindow()).catch(error => {
            this.live.textContent = 'Could not load the chart (' + error.message + ').';
          });
        });
      }
      const reset = document.getElementById('reset-zoom');
      if (reset) reset.addEventListener('click', () => this.resetZoom());
      try {
        await this.serially(() => this.loadWindow());
      } catch (error) {
        this.live.textContent = 'Could not load the chart (' + error.message + ').';
      }
      this.pollForever();
    }

    // Field N's Dygraph, for tests and the curious.
    chart(field) {
      const view = this.fields.find(f => f.field === field);
      return view ? view.graph : null;
    }
  }

  // The list of public channels: each card as the server rendered it, by
  // channel id, so a card is replaced only when the server's copy changed
  // (the shown copy has its times rewritten).
  class HomePage {
    constructor(main) {
      this.main = main;
      this.served = this.cards(document);
    }

    cards(root) {
      return new Map(Array.from(root.querySelectorAll('li.card'),
                                card => [card.dataset.channel, card.outerHTML]));
    }

    async refresh() {
      const response = await fetch(location.href, {cache: 'no-store'});
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
      const cards = this.cards(fresh);
      const sameChannels = cards.size === this.served.size &&
                           Array.from(cards.keys()).every(id => this.served.has(id));
      if (!sameChannels) {
        // Channels came or went: take the new list whole.
        this.main.replaceChildren(...fresh.getElementById('home').childNodes);
      } else {
        for (const [id, html] of cards) {
          if (this.served.get(id) === html) continue;
          const shown = this.main.querySelector(`li.card[data-channel="${id}"]`);
          const replacement = fresh.querySelector(`li.card[data-channel="${id}"]`);
          // Keyboard focus on the card's link stays there.
          const focused = shown.contains(document.activeElement);
          shown.replaceWith(replacement);
          if (focused) replacement.querySelector('h2 a').focus();
        }
      }
      this.served = cards;
      refreshTimes();
    }

    async refreshForever() {
      if (!document.hidden) {
        try {
          await this.refresh();
        } catch (error) {
          // Offline for now; the next round tries again.
        }
      }
      setTimeout(() => this.refreshForever(), kListRefreshMilliseconds);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    const home = document.getElementById('home');
    if (home) {
      const page = new HomePage(home);
      setTimeout(() => page.refreshForever(), kListRefreshMilliseconds);
    }
    refreshTimes();
    setInterval(refreshTimes, 1000);
    const main = document.getElementById('channel');
    if (main && typeof Dygraph !== 'undefined') new ChannelPage(main).start();
  });
})();
