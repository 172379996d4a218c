// coagtag report: builds the page from the JSON in #data. Hand-written, no libraries, no network.
// The data's layout is documented in src/output/report/model.rs.
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('data').textContent);
  var H = D.head;
  var PAGE = 20;
  // years with fewer articles than this are faded in the share views: their shares rest on few
  var FEW = 10;

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = v;
        else if (k === 'class') e.className = v;
        else if (k === 'style') e.setAttribute('style', v);
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : v);
      });
    }
    (kids || []).forEach(function (k) {
      if (k === null || k === undefined) return;
      e.appendChild(typeof k === 'string' ? document.createTextNode(k) : k);
    });
    return e;
  }
  function fmt(n) { return Number(n).toLocaleString('en-US'); }
  function pct(x) { return (100 * x).toFixed(x > 0 && x < 0.001 ? 2 : 1) + '%'; }
  function yearName(y) { return H.years[y] === '' ? 'no year' : H.years[y]; }
  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  // a sequential colour from white through light blue to dark blue, t in [0, 1]
  var STOPS = [[255, 255, 255], [222, 235, 247], [158, 202, 225], [66, 146, 198], [8, 81, 156], [8, 48, 107]];
  function heat(t) {
    if (!(t > 0)) return '#ffffff';
    t = Math.min(1, t);
    var x = t * (STOPS.length - 1), i = Math.min(STOPS.length - 2, Math.floor(x)), f = x - i;
    var c = STOPS[i].map(function (v, k) { return Math.round(v + (STOPS[i + 1][k] - v) * f); });
    return 'rgb(' + c.join(',') + ')';
  }
  function ink(t) { return t > 0.55 ? '#fff' : '#1d2430'; }
  function legend(label, lo, hi, log) {
    var g = [];
    for (var i = 0; i <= 10; i++) g.push(heat(i / 10) + ' ' + i * 10 + '%');
    return el('div', { class: 'legend' }, [
      label + ':', el('span', { text: lo }),
      el('span', { class: 'bar', style: 'background: linear-gradient(to right, ' + g.join(', ') + ')' }),
      el('span', { text: hi + (log ? ' (log scale)' : '') })
    ]);
  }
  function seg(options, current, onpick) {
    var box = el('span', { class: 'seg' });
    options.forEach(function (o) {
      box.appendChild(el('button', {
        type: 'button', class: o[0] === current ? 'on' : '', 'data-v': o[0], text: o[1],
        onclick: function () { onpick(o[0]); }
      }));
    });
    return box;
  }

  // ---------------------------------------------------------------- derived data
  var cats = H.cats, concepts = H.concepts;
  var conceptCats = concepts.map(function (c) { return c.cats && c.cats.length ? c.cats : [c.cat]; });
  var ROLLUP = H.attrNames.indexOf('in_rollup');
  // qualifiers a run may carry: shown in how a mention is marked
  var POLARITY = H.attrNames.indexOf('polarity'), CERTAINTY = H.attrNames.indexOf('certainty');
  var SECTION_KIND = H.attrNames.indexOf('section_kind');
  var journals = H.journals;
  var arts = D.articles.map(function (a, i) {
    var m = [], flat = a[7];
    for (var k = 0; k < flat.length; k += 5) {
      m.push({ p: flat[k], s: flat[k + 1], e: flat[k + 2], c: flat[k + 3], a: flat[k + 4] });
    }
    var cs = {}, ks = {};
    m.forEach(function (x) {
      cs[x.c] = (cs[x.c] || 0) + 1;
      conceptCats[x.c].forEach(function (k) { ks[k] = (ks[k] || 0) + 1; });
    });
    return {
      i: i, id: a[0], pmid: a[1], year: a[2], journal: journals[a[3]] || '', doi: a[4], title: a[5], full: a[8] === 1,
      passages: a[6].map(function (p) { return { name: p[0], text: p[1], sent: p[2], cut: p[3] === 1 }; }),
      m: m, concepts: cs, cats: ks, lower: null
    };
  });
  var yearsShown = H.years.map(function (_, y) { return y; });

  // ---------------------------------------------------------------- filter state
  var state = { cat: -1, concept: -1, year: -1, pair: null, q: '', attrs: {}, sort: 'input', page: 0 };

  function attrsPass(x) {
    for (var k in state.attrs) {
      if (H.attrs[x.a][k] !== state.attrs[k]) return false;
    }
    return true;
  }
  function inCat(x, k) {
    return conceptCats[x.c].indexOf(k) >= 0 && (ROLLUP < 0 || H.attrs[x.a][ROLLUP] === 'yes');
  }
  // whether category k counts for article a by its mentions ms: any of them, or for a full text
  // twice, or once outside the introduction (the full-text rule of every category product)
  function catHolds(a, ms, k) {
    var hits = ms.filter(function (x) { return inCat(x, k); });
    if (!a.full) return hits.length > 0;
    return hits.length >= 2 || hits.some(function (x) {
      return SECTION_KIND < 0 || H.attrs[x.a][SECTION_KIND] !== 'introduction';
    });
  }
  function focusActive() {
    return state.cat >= 0 || state.concept >= 0 || state.pair !== null || Object.keys(state.attrs).length > 0;
  }
  // whether a mention is one the filters ask about
  function isFocus(x) {
    if (!attrsPass(x)) return false;
    if (state.cat >= 0 && !inCat(x, state.cat)) return false;
    if (state.concept >= 0 && x.c !== state.concept) return false;
    if (state.pair) {
      var p = state.pair;
      if (p.level === 'cat' ? !(inCat(x, p.a) || inCat(x, p.b)) : !(x.c === p.a || x.c === p.b)) return false;
    }
    return true;
  }
  function lowerText(a) {
    if (a.lower === null) {
      a.lower = (a.id + ' ' + a.title + ' ' + a.passages.map(function (p) { return p.text; }).join(' ')).toLowerCase();
    }
    return a.lower;
  }
  function matches(a) {
    if (state.year >= 0 && a.year !== state.year) return false;
    if (state.q && lowerText(a).indexOf(state.q) < 0) return false;
    if (!focusActive()) return true;
    var ms = a.m.filter(attrsPass);
    if (state.cat >= 0 && !catHolds(a, ms, state.cat)) return false;
    if (state.concept >= 0 && !ms.some(function (x) { return x.c === state.concept; })) return false;
    if (state.pair) {
      var p = state.pair;
      var has = p.level === 'cat'
        ? function (k) { return catHolds(a, ms, k); }
        : function (k) { return ms.some(function (x) { return x.c === k; }); };
      if (!has(p.a) || !has(p.b)) return false;
    }
    return ms.length > 0;
  }

  // ---------------------------------------------------------------- tooltip
  var tip = el('div', { id: 'tip', role: 'tooltip' });
  function showTip(ev, nodes) {
    tip.textContent = '';
    nodes.forEach(function (n) { tip.appendChild(n); });
    tip.style.display = 'block';
    var r = tip.getBoundingClientRect();
    var x = Math.min(ev.clientX + 14, window.innerWidth - r.width - 8);
    var y = ev.clientY + 16;
    if (y + r.height > window.innerHeight - 4) y = ev.clientY - r.height - 10;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  function hideTip() { tip.style.display = 'none'; }
  // the hover text of one mention: concept, category, rule, and any further attributes
  function mentionTip(x) {
    var c = concepts[x.c], vals = H.attrs[x.a], out = [];
    out.push(el('div', { class: 't' }, [el('span', { class: 'dot', style: 'background:' + cats[c.cat].color }), c.label]));
    out.push(el('div', { class: 'a', text: c.id + ' · ' + conceptCats[x.c].map(function (k) { return cats[k].label; }).join(', ') }));
    H.attrNames.forEach(function (name, i) {
      if (/_cue$/.test(name) || vals[i] === '') return;
      var line = name + ': ' + vals[i];
      var cue = H.attrNames.indexOf(name + '_cue');
      if (cue >= 0 && vals[cue]) line += ' (“' + vals[cue] + '”)';
      out.push(el('div', { text: line }));
    });
    return out;
  }
  document.addEventListener('mouseover', function (ev) {
    var t = ev.target.closest ? ev.target.closest('[data-tip], mark.m') : null;
    if (!t) { hideTip(); return; }
    if (t.tagName === 'MARK') {
      var a = arts[+t.getAttribute('data-a')];
      var nodes = [];
      t.getAttribute('data-m').split(',').forEach(function (k, j) {
        if (j > 0) nodes.push(el('hr', { style: 'border:0;border-top:1px solid #4a6482;margin:5px 0' }));
        nodes = nodes.concat(mentionTip(a.m[+k]));
      });
      showTip(ev, nodes);
    } else {
      showTip(ev, t.getAttribute('data-tip').split('\n').map(function (l, i) {
        return el('div', { class: i === 0 ? 't' : '', text: l });
      }));
    }
  });
  document.addEventListener('scroll', hideTip, true);

  // ---------------------------------------------------------------- page skeleton
  var app = document.getElementById('app');
  var f = H.facts;
  var inputNames = f.inputs.map(function (i) { return i[0]; });
  var title = 'Mechanisms in ' + (inputNames.length === 1 ? inputNames[0] : fmt(inputNames.length) + ' input files');
  document.title = 'coagtag report: ' + (inputNames.join(', ') || 'run');
  app.appendChild(el('header', { class: 'top' }, [
    el('h1', { text: title }),
    el('div', { class: 'sub', text: (f.ontology.join(', ') || 'ontology') + ' · ' + f.tool +
      (f.filters.length ? ' · ' + f.filters.join(' ') : '') })
  ]));
  app.appendChild(el('nav', { class: 'sections' }, [
    el('a', { href: '#overview', text: 'Overview' }),
    el('a', { href: '#years', text: 'Categories by year' }),
    el('a', { href: '#concepts', text: 'Concepts' }),
    el('a', { href: '#cooccurrence', text: 'Co-occurrence' }),
    el('a', { href: '#articles', text: 'Articles' }),
    el('a', { href: '#about', text: 'About this run' })
  ]));
  var main = el('main');
  app.appendChild(main);
  app.appendChild(tip);

  // ---------------------------------------------------------------- headline
  (function () {
    var named = H.years.filter(function (y) { return y !== ''; });
    var noYear = H.years.indexOf('') >= 0 ? H.yearArticles[H.years.indexOf('')] : 0;
    var mentioned = concepts.filter(function (c) { return c.articles > 0; }).length;
    var catsMentioned = cats.filter(function (c) { return c.articles > 0; }).length;
    function card(k, n, label, extra) {
      return el('div', { class: 'card-n', 'data-k': k }, [
        el('div', { class: 'n', text: n }), el('div', { class: 'k', text: label }),
        extra ? el('div', { class: 'k', text: extra }) : null
      ]);
    }
    main.appendChild(el('section', { id: 'overview' }, [
      el('h2', { text: 'Overview' }),
      el('div', { class: 'cards', id: 'headline' }, [
        card('articles', fmt(f.articles), 'articles tagged'),
        card('with-mention', fmt(H.withMention), 'with a mention',
          f.articles ? pct(H.withMention / f.articles) + ' of the articles' : null),
        card('mentions', fmt(f.mentions), 'mentions'),
        card('concepts', fmt(mentioned), 'concepts mentioned', 'of ' + fmt(concepts.length)),
        card('categories', fmt(catsMentioned), 'categories mentioned', 'of ' + fmt(cats.length)),
        card('years', named.length ? (named[0] === named[named.length - 1] ? named[0] : named[0] + '–' + named[named.length - 1]) : '—',
          'publication years', noYear ? fmt(noYear) + ' articles without a year' : null)
      ])
    ]));
  })();

  // ---------------------------------------------------------------- categories by year
  var yearMode = 'articles';
  var yearSection = el('section', { id: 'years' });
  main.appendChild(yearSection);
  function renderYears() {
    yearSection.textContent = '';
    yearSection.appendChild(el('h2', { text: 'Categories by year' }));
    yearSection.appendChild(el('p', { class: 'help', text:
      'How many articles of each publication year mention each category. Click a cell for its articles and the sentences behind it. ' +
      'In the share view, years with fewer than ' + FEW + ' articles are faded.' }));
    yearSection.appendChild(el('div', { class: 'controls' }, [
      el('label', { text: 'Show' }),
      seg([['articles', 'Articles'], ['share', "Share of the year's articles"]], yearMode, function (v) { yearMode = v; renderYears(); })
    ]));
    var max = 0, maxShare = 0;
    cats.forEach(function (_, k) {
      yearsShown.forEach(function (y) {
        var n = H.catYear[k][y], tot = H.yearArticles[y];
        max = Math.max(max, n);
        if (tot >= FEW || H.yearArticles.every(function (t) { return t < FEW; })) maxShare = Math.max(maxShare, tot ? n / tot : 0);
      });
    });
    var table = el('table', { class: 'heat', id: 'heat-year' });
    var head = el('tr', null, [el('th')]);
    yearsShown.forEach(function (y) { head.appendChild(el('th', { class: H.years.length > 12 ? 'vert' : '', text: yearName(y) })); });
    table.appendChild(el('thead', null, [head]));
    var body = el('tbody');
    function totalRow(label, values) {
      var tr = el('tr', { class: 'total' }, [el('th', { class: 'row', text: label })]);
      values.forEach(function (v) { tr.appendChild(el('td', { text: fmt(v) })); });
      return tr;
    }
    body.appendChild(totalRow('Any concept', yearsShown.map(function (y) { return H.yearAny[y]; })));
    cats.forEach(function (c, k) {
      var tr = el('tr', null, [el('th', { class: 'row' }, [el('span', { class: 'dot', style: 'background:' + c.color }), c.label])]);
      yearsShown.forEach(function (y) {
        var n = H.catYear[k][y], tot = H.yearArticles[y], share = tot ? n / tot : 0;
        var t = yearMode === 'share' ? (maxShare ? share / maxShare : 0) : (max ? Math.log(1 + n) / Math.log(1 + max) : 0);
        var td = el('td', {
          class: (n ? 'cell' : 'cell zero') + (yearMode === 'share' && tot < FEW ? ' faded' : ''),
          'data-cat': k, 'data-year': y,
          style: 'background:' + heat(t) + ';color:' + (n ? ink(t) : ''),
          text: yearMode === 'share' ? (n ? pct(share) : '0') : fmt(n),
          'data-tip': c.label + ', ' + yearName(y) + '\n' + fmt(n) + ' of ' + fmt(tot) + ' articles (' + pct(share) + '), ' +
            fmt(H.catYearMentions[k][y]) + ' mentions' + (n ? '\nClick for these articles' : '')
        });
        if (n) td.addEventListener('click', function () { setFilter({ cat: k, year: y }); });
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    body.appendChild(totalRow('All articles', yearsShown.map(function (y) { return H.yearArticles[y]; })));
    table.appendChild(body);
    yearSection.appendChild(el('div', { class: 'scroll' }, [table]));
    yearSection.appendChild(yearMode === 'share'
      ? legend('Share of the year\'s articles', '0%', pct(maxShare), false)
      : legend('Articles', '0', fmt(max), true));
  }
  renderYears();

  // ---------------------------------------------------------------- concept table
  var conceptSection = el('section', { id: 'concepts' });
  main.appendChild(conceptSection);
  var ctable = { key: 'articles', dir: -1, q: '', cat: -1, all: false };
  var trendYears = yearsShown.filter(function (y) { return H.years[y] !== '' && H.yearArticles[y] >= FEW; });
  var conceptYears = concepts.map(function () { return {}; });
  H.conceptYear.forEach(function (r) { conceptYears[r[0]][r[1]] = r[2]; });
  function spark(k) {
    if (trendYears.length < 2) return el('span', { class: 'cid', text: '—' });
    var w = 90, h = 22, vals = trendYears.map(function (y) { return (conceptYears[k][y] || 0) / H.yearArticles[y]; });
    var mx = Math.max.apply(null, vals) || 1;
    var pts = vals.map(function (v, i) {
      return (i * (w - 4) / (vals.length - 1) + 2).toFixed(1) + ',' + (h - 3 - v / mx * (h - 6)).toFixed(1);
    }).join(' ');
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', w); svg.setAttribute('height', h); svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    var line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', pts); line.setAttribute('fill', 'none');
    line.setAttribute('stroke', cats[concepts[k].cat].color); line.setAttribute('stroke-width', '1.6');
    svg.appendChild(line);
    var wrap = el('span', { 'data-tip': concepts[k].label + ': share of each year\'s articles\n' +
      trendYears.map(function (y, i) { return H.years[y] + ': ' + pct(vals[i]); }).join(', ') });
    wrap.appendChild(svg);
    return wrap;
  }
  var COLS = [
    ['label', 'Concept', ''], ['cat', 'Category', ''], ['articles', 'Articles', 'num'],
    ['mentions', 'Mentions', 'num'], ['share', '% of articles', 'num'], ['trend', 'Trend', ''], ['forms', 'Top surface forms', '']
  ];
  function renderConcepts() {
    conceptSection.textContent = '';
    conceptSection.appendChild(el('h2', { text: 'Concepts' }));
    conceptSection.appendChild(el('p', { class: 'help', text:
      'Every concept of the ontology with the articles and mentions found, and the forms it was written in. ' +
      'Click a column to sort; click a concept for its articles. The trend is its share of each year\'s articles' +
      (trendYears.length ? ' (years with at least ' + FEW + ' articles).' : '.') }));
    var catSel = el('select', { id: 'c-cat', onchange: function () { ctable.cat = +this.value; drawRows(); } },
      [el('option', { value: -1, text: 'All categories' })].concat(cats.map(function (c, k) {
        return el('option', { value: k, text: c.label, selected: ctable.cat === k });
      })));
    conceptSection.appendChild(el('div', { class: 'controls' }, [
      el('input', { type: 'search', id: 'c-find', placeholder: 'Find a concept', value: ctable.q,
        oninput: function () { ctable.q = this.value.toLowerCase(); drawRows(); } }),
      catSel,
      el('label', null, [el('input', { type: 'checkbox', id: 'c-all', checked: ctable.all,
        onchange: function () { ctable.all = this.checked; drawRows(); } }), ' also concepts never mentioned'])
    ]));
    var thead = el('tr');
    COLS.forEach(function (c) {
      var th = el('th', { class: c[2], 'data-key': c[0], text: c[1],
        'aria-sort': ctable.key === c[0] ? (ctable.dir > 0 ? 'ascending' : 'descending') : null });
      if (c[0] !== 'trend' && c[0] !== 'forms') {
        th.addEventListener('click', function () {
          if (ctable.key === c[0]) ctable.dir = -ctable.dir;
          else { ctable.key = c[0]; ctable.dir = (c[0] === 'label' || c[0] === 'cat') ? 1 : -1; }
          renderConcepts();
        });
      }
      thead.appendChild(th);
    });
    var tbody = el('tbody');
    var table = el('table', { class: 'concepts', id: 'concept-table' }, [el('thead', null, [thead]), tbody]);
    conceptSection.appendChild(el('div', { class: 'concept-wrap' }, [table]));
    function value(k) {
      var c = concepts[k];
      switch (ctable.key) {
        case 'label': return c.label.toLowerCase();
        case 'cat': return cats[c.cat].label.toLowerCase() + ' ' + c.label.toLowerCase();
        case 'share': case 'articles': return c.articles;
        default: return c[ctable.key];
      }
    }
    function drawRows() {
      tbody.textContent = '';
      var rows = concepts.map(function (_, k) { return k; }).filter(function (k) {
        var c = concepts[k];
        if (!ctable.all && c.articles === 0) return false;
        if (ctable.cat >= 0 && conceptCats[k].indexOf(ctable.cat) < 0) return false;
        if (ctable.q && (c.label + ' ' + c.id + ' ' + c.forms).toLowerCase().indexOf(ctable.q) < 0) return false;
        return true;
      });
      rows.sort(function (a, b) {
        var x = value(a), y = value(b);
        return (x < y ? -1 : x > y ? 1 : a - b) * ctable.dir || a - b;
      });
      rows.forEach(function (k) {
        var c = concepts[k];
        var tr = el('tr', { class: c.articles ? '' : 'none', 'data-concept': k }, [
          el('td', null, [
            c.articles ? el('button', { type: 'button', class: 'link', text: c.label,
              onclick: function () { setFilter({ concept: k }); } }) : c.label,
            el('div', { class: 'cid', text: c.id + (c.xrefs ? ' · ' + c.xrefs : '') })
          ]),
          el('td', null, conceptCats[k].map(function (q) {
            return el('div', null, [el('span', { class: 'dot', style: 'background:' + cats[q].color }), cats[q].label]);
          })),
          el('td', { class: 'num', text: fmt(c.articles) }),
          el('td', { class: 'num', text: fmt(c.mentions) }),
          el('td', { class: 'num', text: f.articles ? pct(c.articles / f.articles) : '' }),
          el('td', null, [c.articles ? spark(k) : null]),
          el('td', { class: 'forms', text: c.forms })
        ]);
        tbody.appendChild(tr);
      });
      if (!rows.length) tbody.appendChild(el('tr', null, [el('td', { colspan: COLS.length, class: 'empty', text: 'No concept matches.' })]));
    }
    drawRows();
  }
  renderConcepts();

  // ---------------------------------------------------------------- co-occurrence
  var coSection = el('section', { id: 'cooccurrence' });
  main.appendChild(coSection);
  var coMode = 'articles', topN = Math.min(25, concepts.length);
  function pairMap(rows) {
    var m = {};
    rows.forEach(function (r) { m[r[0] + ',' + r[1]] = r[2]; });
    return function (a, b) { return m[Math.min(a, b) + ',' + Math.max(a, b)] || 0; };
  }
  var catPair = pairMap(H.catCooc), conceptPair = pairMap(H.conceptCooc);
  function coTable(id, items, label, color, pair, level) {
    var max = 0;
    items.forEach(function (a) { items.forEach(function (b) { if (a !== b) max = Math.max(max, pair(a, b)); }); });
    var table = el('table', { class: 'heat', id: id });
    var head = el('tr', null, [el('th')]);
    items.forEach(function (b) { head.appendChild(el('th', { class: 'vert', text: label(b) })); });
    table.appendChild(el('thead', null, [head]));
    var body = el('tbody');
    items.forEach(function (a) {
      var own = pair(a, a);
      var tr = el('tr', null, [el('th', { class: 'row' }, [el('span', { class: 'dot', style: 'background:' + color(a) }), label(a)])]);
      items.forEach(function (b) {
        var n = pair(a, b), share = own ? n / own : 0;
        var t = a === b ? 0 : coMode === 'share' ? share : (max ? Math.log(1 + n) / Math.log(1 + max) : 0);
        var td = el('td', {
          class: (n ? 'cell' : 'cell zero') + (a === b ? ' diag' : ''),
          'data-a': a, 'data-b': b,
          style: 'background:' + heat(t) + ';color:' + (n ? ink(t) : ''),
          text: coMode === 'share' && a !== b ? (n ? pct(share) : '0') : fmt(n),
          'data-tip': a === b
            ? label(a) + '\n' + fmt(n) + ' articles mention it' + (n ? '\nClick for these articles' : '')
            : label(a) + ' and ' + label(b) + '\n' + fmt(n) + ' articles mention both (' + pct(share) + ' of ' + label(a) + "'s " + fmt(own) + ')' + (n ? '\nClick for these articles' : '')
        });
        if (n) {
          td.addEventListener('click', function () {
            if (a === b) setFilter(level === 'cat' ? { cat: a } : { concept: a });
            else setFilter({ pair: { level: level, a: a, b: b } });
          });
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    return { table: table, max: max };
  }
  function renderCo() {
    coSection.textContent = '';
    coSection.appendChild(el('h2', { text: 'Co-occurrence' }));
    coSection.appendChild(el('p', { class: 'help', text:
      'Articles that mention both: categories, and the concepts mentioned in the most articles. The diagonal (framed) is the articles of each alone. ' +
      'In the share view a cell is the share of the row\'s articles that also mention the column. Click a cell for the articles.' }));
    var sizes = [10, 15, 25, 40].filter(function (n) { return n <= concepts.length; });
    coSection.appendChild(el('div', { class: 'controls' }, [
      el('label', { text: 'Show' }),
      seg([['articles', 'Articles'], ['share', "Share of the row's articles"]], coMode, function (v) { coMode = v; renderCo(); }),
      el('label', { for: 'top-n', text: 'Top concepts' }),
      el('select', { id: 'top-n', onchange: function () { topN = +this.value; renderCo(); } },
        sizes.concat(sizes.indexOf(topN) < 0 ? [topN] : []).map(function (n) { return el('option', { value: n, text: n, selected: n === topN }); }))
    ]));
    var catItems = cats.map(function (_, k) { return k; }).filter(function (k) { return cats[k].articles > 0; });
    var top = concepts.map(function (_, k) { return k; }).filter(function (k) { return concepts[k].articles > 0; })
      .sort(function (a, b) { return concepts[b].articles - concepts[a].articles || a - b; }).slice(0, topN);
    var ct = coTable('heat-cat', catItems, function (k) { return cats[k].label; }, function (k) { return cats[k].color; }, catPair, 'cat');
    var kt = coTable('heat-concept', top, function (k) { return concepts[k].label; }, function (k) { return cats[concepts[k].cat].color; }, conceptPair, 'concept');
    function box(titleText, t) {
      return el('div', null, [
        el('h3', { style: 'font-size:15px;margin:4px 0', text: titleText }),
        el('div', { class: 'scroll' }, [t.table]),
        coMode === 'share' ? legend("Share of the row's articles", '0%', '100%', false) : legend('Articles', '0', fmt(t.max), true)
      ]);
    }
    coSection.appendChild(el('div', { class: 'grid2' }, [
      box('Categories', ct), box('The ' + top.length + ' concepts in the most articles', kt)
    ]));
  }
  renderCo();

  // ---------------------------------------------------------------- articles
  var artSection = el('section', { id: 'articles' });
  main.appendChild(artSection);
  artSection.appendChild(el('h2', { text: 'Articles' }));
  var marks = [];
  if (ROLLUP >= 0) marks.push('a dashed underline: the mention does not count for its category');
  if (POLARITY >= 0) marks.push('struck through: negated');
  if (CERTAINTY >= 0) marks.push('a dotted underline: hedged');
  artSection.appendChild(el('p', { class: 'help', text:
    'The articles with at least one mention. Every mention is highlighted in its category\'s colour; hover over it for the concept and the rule that found it' +
    (marks.length ? ' (' + marks.join('; ') + ')' : '') + '. With a filter, each article shows the sentences behind it first.' }));
  if (H.shown < H.withMention) {
    artSection.appendChild(el('div', { class: 'notice', id: 'omitted', text:
      'This page holds the first ' + fmt(H.shown) + ' of the ' + fmt(H.withMention) + ' articles with a mention, to stay small enough to open; ' +
      'the counts above cover every article, and evidence.csv has every mention.' }));
  }
  var filterBox = el('div', { class: 'filters' });
  artSection.appendChild(filterBox);
  var statusBox = el('div', { class: 'status' });
  artSection.appendChild(statusBox);
  var listBox = el('div', { id: 'article-list' });
  artSection.appendChild(listBox);
  var bottomPager = el('div', { class: 'status' });
  artSection.appendChild(bottomPager);

  var conceptNames = concepts.map(function (c) { return c.label + ' (' + c.id + ')'; });
  var attrFilters = H.attrNames.map(function (name, i) {
    if (name === 'term' || /_cue$/.test(name)) return null;
    var seen = {};
    H.attrs.forEach(function (v) { seen[v[i]] = true; });
    var values = Object.keys(seen).sort();
    return values.length >= 2 && values.length <= 12 ? { i: i, name: name, values: values } : null;
  }).filter(Boolean);

  function renderFilters() {
    filterBox.textContent = '';
    var catSel = el('select', { id: 'f-cat', onchange: function () { setFilter({ cat: +this.value }, true); } },
      [el('option', { value: -1, text: 'Any category' })].concat(cats.map(function (c, k) {
        return el('option', { value: k, text: c.label, selected: state.cat === k });
      })));
    var list = el('datalist', { id: 'concept-names' }, conceptNames.map(function (n) { return el('option', { value: n }); }));
    var conceptIn = el('input', {
      type: 'text', class: 'concept', id: 'f-concept', list: 'concept-names', placeholder: 'Any concept',
      value: state.concept >= 0 ? conceptNames[state.concept] : '',
      onchange: function () {
        var k = conceptNames.indexOf(this.value);
        if (k < 0) {
          var v = this.value.toLowerCase();
          k = concepts.findIndex(function (c) { return c.id.toLowerCase() === v || c.label.toLowerCase() === v; });
        }
        setFilter({ concept: this.value === '' ? -1 : k }, true);
      }
    });
    var yearSel = el('select', { id: 'f-year', onchange: function () { setFilter({ year: +this.value }, true); } },
      [el('option', { value: -1, text: 'Any year' })].concat(yearsShown.map(function (y) {
        return el('option', { value: y, text: yearName(y), selected: state.year === y });
      })));
    var row1 = el('div', { class: 'row' }, [catSel, conceptIn, list, yearSel]);
    attrFilters.forEach(function (af) {
      row1.appendChild(el('select', { 'data-attr': af.name, onchange: function () {
        var a = {};
        Object.keys(state.attrs).forEach(function (k) { a[k] = state.attrs[k]; });
        if (this.value === '') delete a[af.i]; else a[af.i] = this.value;
        setFilter({ attrs: a }, true);
      } }, [el('option', { value: '', text: 'any ' + af.name.replace(/_/g, ' ') })].concat(af.values.map(function (v) {
        return el('option', { value: v, text: af.name.replace(/_/g, ' ') + ': ' + v, selected: state.attrs[af.i] === v });
      }))));
    });
    var search = el('input', { type: 'search', id: 'f-q', placeholder: 'Words in the title or text, or an id', value: state.q,
      onchange: function () { setFilter({ q: this.value.trim().toLowerCase() }, true); } });
    var sortSel = el('select', { id: 'f-sort', onchange: function () { state.sort = this.value; state.page = 0; renderList(); } }, [
      el('option', { value: 'input', text: 'In input order', selected: state.sort === 'input' }),
      el('option', { value: 'newest', text: 'Newest first', selected: state.sort === 'newest' }),
      el('option', { value: 'most', text: 'Most matching mentions first', selected: state.sort === 'most' })
    ]);
    var clear = el('button', { type: 'button', id: 'f-clear', text: 'Clear filters', onclick: function () {
      setFilter({ cat: -1, concept: -1, year: -1, pair: null, q: '', attrs: {} }, true);
    } });
    filterBox.appendChild(row1);
    filterBox.appendChild(el('div', { class: 'row' }, [search, sortSel, clear]));
  }

  function setFilter(change, stay) {
    var fresh = { cat: -1, concept: -1, year: -1, pair: null, q: state.q, attrs: state.attrs };
    if (stay) fresh = { cat: state.cat, concept: state.concept, year: state.year, pair: state.pair, q: state.q, attrs: state.attrs };
    Object.keys(change).forEach(function (k) { fresh[k] = change[k]; });
    if (!stay) fresh.q = '';
    state.cat = fresh.cat; state.concept = fresh.concept; state.year = fresh.year;
    state.pair = fresh.pair; state.q = fresh.q; state.attrs = fresh.attrs; state.page = 0;
    renderFilters();
    renderList();
    if (!stay) artSection.scrollIntoView({ behavior: 'auto', block: 'start' });
  }

  function describe() {
    var parts = [];
    if (state.pair) {
      var p = state.pair, name = p.level === 'cat'
        ? function (k) { return cats[k].label; } : function (k) { return concepts[k].label; };
      parts.push('mentioning both ' + name(p.a) + ' and ' + name(p.b));
    }
    if (state.cat >= 0) parts.push('with a ' + cats[state.cat].label + ' mention');
    if (state.concept >= 0) parts.push('mentioning ' + concepts[state.concept].label);
    Object.keys(state.attrs).forEach(function (k) { parts.push(H.attrNames[k] + ' ' + state.attrs[k]); });
    if (state.year >= 0) parts.push('of ' + yearName(state.year));
    if (state.q) parts.push('containing “' + state.q + '”');
    return parts.join(', ');
  }

  function pager(box, pages) {
    box.appendChild(el('div', { class: 'pager' }, [
      el('button', { type: 'button', class: 'prev', text: '‹ Previous', disabled: state.page === 0,
        onclick: function () { state.page--; renderList(); artSection.scrollIntoView(); } }),
      el('span', { text: 'Page ' + fmt(state.page + 1) + ' of ' + fmt(pages) }),
      el('button', { type: 'button', class: 'next', text: 'Next ›', disabled: state.page >= pages - 1,
        onclick: function () { state.page++; renderList(); artSection.scrollIntoView(); } })
    ]));
  }

  function renderList() {
    var hits = arts.filter(matches);
    if (state.sort === 'newest') {
      hits.sort(function (a, b) {
        var ya = H.years[a.year], yb = H.years[b.year];
        return (yb > ya ? 1 : yb < ya ? -1 : 0) || a.i - b.i;
      });
    } else if (state.sort === 'most') {
      var focusCount = function (a) { return a.m.filter(isFocus).length; };
      hits = hits.map(function (a) { return [focusCount(a), a]; })
        .sort(function (x, y) { return y[0] - x[0] || x[1].i - y[1].i; })
        .map(function (x) { return x[1]; });
    }
    var pages = Math.max(1, Math.ceil(hits.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    statusBox.textContent = '';
    bottomPager.textContent = '';
    var d = describe();
    statusBox.appendChild(el('div', { id: 'result-count', 'data-n': hits.length }, [
      el('b', { text: fmt(hits.length) }), ' ' + (hits.length === 1 ? 'article' : 'articles') + (d ? ' ' + d : '')
    ]));
    var actions = el('div', { class: 'pager' });
    if (hits.length) {
      var ids = hits.map(function (a) { return a.pmid || a.id; });
      actions.appendChild(el('button', { type: 'button', id: 'copy-ids', text: hits.length === 1 ? 'Copy the id' : 'Copy the ' + fmt(hits.length) + ' ids',
        'data-tip': 'Copies the ids of every article listed (PMIDs where known), one per line',
        onclick: function () { copyText(ids.join('\n'), this); } }));
      if (hits.length <= 200 && hits.every(function (a) { return a.pmid; })) {
        actions.appendChild(el('a', { id: 'pubmed-all', target: '_blank', rel: 'noopener noreferrer',
          href: 'https://pubmed.ncbi.nlm.nih.gov/?term=' + encodeURIComponent(ids.join(' OR ')) + '&size=200',
          text: 'Open them in PubMed' }));
      }
    }
    statusBox.appendChild(actions);
    pager(statusBox, pages);
    listBox.textContent = '';
    hits.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (a) { listBox.appendChild(card(a)); });
    if (!hits.length) listBox.appendChild(el('div', { class: 'empty', text: 'No article matches these filters.' }));
    if (hits.length > PAGE) pager(bottomPager, pages);
  }

  function copyText(text, button) {
    var done = function () { button.textContent = 'Copied'; };
    var area = el('textarea', { style: 'position:fixed;left:-9999px;top:0' });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); done(); } catch (e) { button.textContent = 'Select and copy by hand'; }
    document.body.removeChild(area);
  }
  // how a mention is marked beyond its colour: not counted for its category, negated, hedged
  function markClass(x) {
    var v = H.attrs[x.a], c = '';
    if (ROLLUP >= 0 && v[ROLLUP] === 'no') c += ' out';
    if (POLARITY >= 0 && v[POLARITY] === 'negated') c += ' neg';
    if (CERTAINTY >= 0 && v[CERTAINTY] === 'hedged') c += ' hedged';
    return c;
  }
  // the text of passage p from s to e (UTF-16 units) with its mentions marked
  function marked(a, p, s, e) {
    var frag = document.createDocumentFragment(), text = a.passages[p].text, at = s;
    var ms = [];
    a.m.forEach(function (x, k) { if (x.p === p && x.e > s && x.s < e) ms.push(k); });
    var i = 0;
    while (i < ms.length) {
      var x = a.m[ms[i]], start = Math.max(s, x.s), end = Math.min(e, x.e), group = [ms[i]];
      // mentions that overlap this one share its mark (and its hover text)
      while (i + 1 < ms.length && a.m[ms[i + 1]].s < end) {
        i++;
        group.push(ms[i]);
        end = Math.max(end, Math.min(e, a.m[ms[i]].e));
      }
      i++;
      if (start < at) start = at;
      if (start > at) frag.appendChild(document.createTextNode(text.slice(at, start)));
      var c = cats[concepts[x.c].cat].color;
      frag.appendChild(el('mark', {
        class: 'm' + markClass(x) + (focusActive() && group.some(function (k) { return isFocus(a.m[k]); }) ? ' focus' : ''),
        style: '--c:' + c + ';background:' + rgba(c, 0.2),
        'data-a': a.i, 'data-m': group.join(','), 'data-c': x.c, text: text.slice(start, end)
      }));
      at = Math.max(at, end);
    }
    if (at < e) frag.appendChild(document.createTextNode(text.slice(at, e)));
    return frag;
  }
  function sectionLabel(name) {
    var n = name.toLowerCase();
    return n === 'abstract' || n === 'text' || n === 'passage' ? null : name;
  }
  // the sentences of passage p: [start, end) pairs
  function sentences(pa) {
    var starts = [0].concat(pa.sent), out = [];
    for (var k = 0; k < starts.length; k++) out.push([starts[k], k + 1 < starts.length ? starts[k + 1] : pa.text.length]);
    return out;
  }
  function card(a) {
    var titleIdx = a.passages.length && a.passages[0].name === 'title' ? 0 : -1;
    var h = el('h3');
    if (titleIdx === 0) h.appendChild(marked(a, 0, 0, a.passages[0].text.length));
    else h.textContent = a.title || a.id;
    var links = [];
    if (a.pmid) links.push(el('a', { href: 'https://pubmed.ncbi.nlm.nih.gov/' + encodeURIComponent(a.pmid) + '/', target: '_blank', rel: 'noopener noreferrer', text: 'PubMed ' + a.pmid }));
    if (a.doi) links.push(el('a', { href: 'https://doi.org/' + a.doi, target: '_blank', rel: 'noopener noreferrer', text: 'doi:' + a.doi }));
    var meta = el('div', { class: 'meta' }, [
      [H.years[a.year] || 'no year', a.journal, a.pmid ? null : a.id].filter(Boolean).join(' · ')
    ].concat(links));
    var chips = el('div', { class: 'chips' });
    Object.keys(a.cats).map(Number).sort(function (x, y) { return x - y; }).forEach(function (k) {
      chips.appendChild(el('span', { class: 'chip', 'data-cat': k, 'data-tip': cats[k].label + '\n' + a.cats[k] + ' mentions in this article\nClick for every article with this category',
        onclick: function () { setFilter({ cat: k }); } }, [
        el('span', { class: 'dot', style: 'background:' + cats[k].color }), cats[k].label, el('span', { class: 'k', text: a.cats[k] })
      ]));
    });
    var text = el('div', { class: 'text' });
    var whole = !focusActive();
    function fill() {
      text.textContent = '';
      if (whole) {
        var last = null;
        a.passages.forEach(function (pa, p) {
          if (p === titleIdx) return;
          var label = sectionLabel(pa.name);
          // a full text's heading, kept as a section of its own ("methods: Mice" holding "Mice")
          var colon = pa.name.indexOf(': ');
          var heading = colon >= 0 ? pa.name.slice(colon + 2) : pa.name;
          if (label && !pa.cut && pa.text.trim().toLowerCase() === heading.toLowerCase()) {
            text.appendChild(el('div', { class: 'head' }, [
              colon >= 0 ? el('span', { class: 'sec', text: pa.name.slice(0, colon) }) : null,
              marked(a, p, 0, pa.text.length)
            ]));
            last = pa.name;
            return;
          }
          var para = el('p');
          // the section's name once, where it starts
          if (label && pa.name !== last) para.appendChild(el('span', { class: 'sec', text: label + (pa.cut ? '' : ':') }));
          if (pa.cut) para.appendChild(document.createTextNode('… '));
          para.appendChild(marked(a, p, 0, pa.text.length));
          if (pa.cut) para.appendChild(document.createTextNode(' …'));
          text.appendChild(para);
          last = pa.name;
        });
        if (focusActive()) text.appendChild(el('button', { type: 'button', class: 'link more', text: 'Show only the sentences behind the filter',
          onclick: function () { whole = false; fill(); } }));
      } else {
        var ul = el('ul', { class: 'evidence' });
        a.passages.forEach(function (pa, p) {
          if (p === titleIdx) return;
          sentences(pa).forEach(function (se) {
            var hit = a.m.some(function (x) { return x.p === p && x.s >= se[0] && x.s < se[1] && isFocus(x); });
            if (!hit) return;
            var label = sectionLabel(pa.name);
            ul.appendChild(el('li', null, [label ? el('span', { class: 'sec', text: label }) : null, marked(a, p, se[0], se[1])]));
          });
        });
        if (!ul.childNodes.length) text.appendChild(el('div', { class: 'empty', text: 'In the title.' }));
        else text.appendChild(ul);
        text.appendChild(el('button', { type: 'button', class: 'link more', text: 'Show the whole text',
          onclick: function () { whole = true; fill(); } }));
      }
    }
    fill();
    return el('article', { class: 'card', 'data-id': a.id }, [h, meta, chips, text]);
  }

  renderFilters();
  renderList();

  // ---------------------------------------------------------------- about
  var dl = el('dl');
  function row(k, v) { dl.appendChild(el('dt', { text: k })); dl.appendChild(el('dd', { text: v })); }
  row('Tool', f.tool);
  row('Ontology', f.ontology.join(', ') + ' · ' + fmt(f.ontology_concepts) + ' concepts, ' +
    fmt(f.ontology_terms) + ' terms · sha256 ' + f.ontology_sha256);
  row('Inputs', f.inputs.map(function (i) { return i[0] + ' (' + fmt(i[1]) + ' bytes)'; }).join(', ') || 'standard input');
  row('Records', fmt(f.records_read) + ' read, ' + fmt(f.skipped) + ' skipped, ' + fmt(f.replaced) + ' replaced by a later record, ' +
    fmt(f.deleted) + ' deleted; ' + fmt(f.articles) + ' articles, ' + fmt(f.mentions) + ' mentions');
  row('Filters', f.filters.length ? f.filters.join(' ') : 'none');
  row('Mention attributes', H.attrNames.join(', '));
  app.appendChild(el('footer', { id: 'about' }, [
    el('h2', { style: 'font-size:15px;color:#1d2430', text: 'About this run' }), dl,
    el('p', { text: 'Written by ' + f.tool + ' from its products (summary.csv, cooccurrence.csv, trends.csv, evidence.csv and the texts). ' +
      'The file has no dates: the same run gives the same bytes. It makes no network request; the links open PubMed and doi.org.' })
  ]));
  document.body.setAttribute('data-ready', '1');
})();
