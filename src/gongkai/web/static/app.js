/* gongkai web: uploads, cell provenance, findings, charts. No external code besides Chart.js. */
(function () {
  'use strict';
  const $ = (s, r) => (r || document).querySelector(s);
  const $$ = (s, r) => Array.from((r || document).querySelectorAll(s));
  const HOW = { label: '按行标签对应', position: '按位置对应(行标签缺失)', split: '由连写数字拆分', ambiguous: '无法唯一确定', series: '按同一机关相邻年度报告推定', placed: '空白格被删去,按勾稽关系复位' };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  /* ---------------- upload ---------------- */
  function initUpload() {
    const form = $('#upload-form');
    if (!form) return;
    const drop = $('#drop'), input = $('#files'), status = $('#status'), results = $('#results');
    const label = $('.drop-text', drop), original = label.textContent;
    let dropped = null;
    ['dragenter', 'dragover'].forEach(ev => drop.addEventListener(ev, e => { e.preventDefault(); drop.classList.add('over'); }));
    ['dragleave', 'drop'].forEach(ev => drop.addEventListener(ev, e => { e.preventDefault(); drop.classList.remove('over'); }));
    drop.addEventListener('drop', e => {
      if (e.dataTransfer && e.dataTransfer.files.length) { dropped = e.dataTransfer.files; names(dropped); submit(); }
    });
    input.addEventListener('change', () => { dropped = null; names(input.files); if (input.files.length) submit(); });
    form.addEventListener('submit', e => { e.preventDefault(); submit(); });
    function names(fl) { label.textContent = fl.length ? Array.from(fl).map(f => f.name).join('、') : original; }
    async function submit() {
      const fd = new FormData(form);
      if (dropped) { fd.delete('files'); Array.from(dropped).forEach(f => fd.append('files', f, f.name)); }
      status.textContent = '正在解析……';
      form.classList.add('busy');
      const t0 = performance.now();
      try {
        const resp = await fetch('/check', { method: 'POST', body: fd, headers: { 'X-Fragment': '1' }, credentials: 'same-origin' });
        const html = await resp.text();
        results.innerHTML = html; /* rendered and escaped by the server */
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        status.textContent = resp.ok ? '完成,用时 ' + secs + ' 秒' : '未能检查(见下方说明)';
        const first = $('.result', results);
        if (first) first.scrollIntoView({ block: 'start' });
      } catch (err) {
        status.textContent = '网络错误,请重试';
      } finally {
        form.classList.remove('busy');
      }
    }
  }

  /* ---------------- provenance ---------------- */
  function units(text, cp) {
    /* Python indexes code points; JS strings are UTF-16. Convert only when the text has surrogates. */
    if (!/[\uD800-\uDFFF]/.test(text)) return cp;
    let i = 0, n = 0;
    while (n < cp && i < text.length) { const c = text.charCodeAt(i); i += (c >= 0xD800 && c <= 0xDBFF) ? 2 : 1; n++; }
    return i;
  }

  function highlight(rep, start, end) {
    const pre = $('.srctext', rep);
    if (!pre) return false;
    if (pre.dataset.orig === undefined) pre.dataset.orig = '1', pre._text = pre.textContent;
    const t = pre._text || pre.textContent;
    if (!(start >= 0) || start > t.length) return false;
    let s = units(t, start), e = units(t, Math.max(end, start));
    if (e <= s) e = Math.min(s + 1, t.length);
    const mark = el('mark', t.slice(s, e));
    pre.replaceChildren(document.createTextNode(t.slice(0, s)), mark, document.createTextNode(t.slice(e)));
    pre.scrollTop = Math.max(0, mark.offsetTop - pre.clientHeight / 3);
    return true;
  }

  function clear(rep) {
    $$('.sel, .hl', rep).forEach(x => x.classList.remove('sel', 'hl'));
    const pre = $('.srctext', rep);
    if (pre && pre._text !== undefined) pre.textContent = pre._text;
  }

  function showCell(td) {
    const rep = td.closest('.report');
    if (!rep) return;
    clear(rep);
    td.classList.add('sel');
    const info = $('.src-info', rep);
    info.replaceChildren();
    info.append(el('h4', td.dataset.desc || td.dataset.cid));
    info.append(el('p', '单元格:' + td.dataset.cid, 'cid'));
    info.append(el('p', '数值:' + td.textContent.trim()));
    if (td.dataset.raw) info.append(el('p', '原文:' + td.dataset.raw));
    if (td.dataset.how) info.append(el('p', '对应方式:' + (HOW[td.dataset.how] || td.dataset.how)));
    if (td.dataset.src) info.append(el('p', '来源位置:' + td.dataset.src, 'srcpos'));
    if (td.dataset.conf) info.append(el('p', '扫描识别可信度:' + td.dataset.conf + '%', +td.dataset.conf < 75 ? 'conf low' : 'conf'));
    const fs = (td.dataset.f || '').split(' ').filter(Boolean);
    if (fs.length) {
      const ul = el('ul', null, 'cell-findings');
      fs.forEach(i => {
        const li = $('li.finding[data-index="' + i + '"]', rep);
        if (li) ul.append(el('li', ($('.sev', li) || {}).textContent + ' ' + ($('.rule', li) || {}).textContent + ':' + ($('.msg', li) || {}).textContent, li.className.replace('finding', '').trim()));
      });
      info.append(ul);
    }
    if (td.classList.contains('absent')) {
      info.append(el('p', '报告中没有这一项。', 'muted'));
    } else if (td.dataset.start !== undefined) {
      if (!highlight(rep, +td.dataset.start, +td.dataset.end)) info.append(el('p', '原文位置超出文本范围。', 'muted'));
    } else {
      info.append(el('p', '没有对应的原文文字位置(见来源位置)。', 'muted'));
    }
  }

  function showFinding(li) {
    const rep = li.closest('.report');
    if (!rep) return;
    clear(rep);
    li.classList.add('sel');
    const cells = (li.dataset.cells || '').split(' ').filter(Boolean);
    let first = null;
    cells.forEach(c => {
      const td = $('td.v[data-cid="' + CSS.escape(c) + '"]', rep);
      if (td) { td.classList.add('hl'); first = first || td; }
    });
    if (li.dataset.start !== undefined) highlight(rep, +li.dataset.start, +li.dataset.end);
    if (first) first.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  document.addEventListener('click', e => {
    const td = e.target.closest('td.v');
    if (td) { showCell(td); return; }
    const li = e.target.closest('li.finding[data-index]');
    if (li && !e.target.closest('a')) showFinding(li);
  });
  document.addEventListener('keydown', e => {
    if (e.key !== 'Enter') return;
    const t = e.target;
    if (t.matches && t.matches('td.v')) showCell(t);
    else if (t.matches && t.matches('li.finding[data-index]')) showFinding(t);
  });

  /* ---------------- compare ---------------- */
  function initCompare() {
    const box = $('#only-diff'), table = $('#cmp-table');
    if (box && table) box.addEventListener('change', () => table.classList.toggle('only-diff', box.checked));
  }

  /* ---------------- charts ---------------- */
  const COLORS = ['#2f6db3', '#5aa469', '#d9534f', '#f0ad4e', '#8e6bbf', '#7f8c8d', '#20a0a0', '#c0792f'];
  const pct = v => (v * 100).toFixed(1) + '%';

  function chartConfig(kind, d) {
    const base = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } };
    if (kind === 'applications') {
      return { type: 'line', data: { labels: d.years, datasets: [{ label: '新收申请', data: d.applications, borderColor: COLORS[0], backgroundColor: COLORS[0], spanGaps: true }] },
        options: Object.assign({}, base, { scales: { y: { beginAtZero: true } } }) };
    }
    if (kind === 'outcomes-stacked') {
      return { type: 'bar', data: { labels: d.years, datasets: d.outcomes.map((o, i) => ({ label: o.label, data: o.values, backgroundColor: COLORS[i % COLORS.length] })) },
        options: Object.assign({}, base, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }) };
    }
    if (kind === 'outcomes') {
      return { type: 'doughnut', data: { labels: d.outcomes.map(o => o.label), datasets: [{ data: d.outcomes.map(o => o.value), backgroundColor: COLORS }] }, options: base };
    }
    if (kind === 'error-years') {
      return { type: 'bar', data: { labels: d.years.map(y => y.year), datasets: [{ label: '有错误的报告占比', data: d.years.map(y => y.error_rate), backgroundColor: COLORS[2] }] },
        options: Object.assign({}, base, { scales: { y: { beginAtZero: true, max: 1, ticks: { callback: pct } } } }) };
    }
    if (kind === 'error-regions') {
      return { type: 'bar', data: { labels: d.regions.map(r => r.region), datasets: [{ label: '有错误的报告占比', data: d.regions.map(r => r.error_rate), backgroundColor: COLORS[3] }] },
        options: Object.assign({}, base, { indexAxis: 'y', scales: { x: { beginAtZero: true, max: 1, ticks: { callback: pct } } } }) };
    }
    if (kind === 'late') {
      return { type: 'bar', data: { labels: d.years.map(y => y.year), datasets: [
        { label: '按时', data: d.years.map(y => y.on_time), backgroundColor: COLORS[1] },
        { label: '逾期', data: d.years.map(y => y.late), backgroundColor: COLORS[2] },
        { label: '日期不明', data: d.years.map(y => y.unknown), backgroundColor: COLORS[5] }] },
        options: Object.assign({}, base, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }) };
    }
    if (kind === 'rules') {
      const agg = {};
      d.rules.forEach(r => { agg[r.rule] = (agg[r.rule] || 0) + r.n; });
      const keys = Object.keys(agg).sort((a, b) => agg[b] - agg[a]).slice(0, 15);
      return { type: 'bar', data: { labels: keys, datasets: [{ label: '问题数', data: keys.map(k => agg[k]), backgroundColor: COLORS[4] }] },
        options: Object.assign({}, base, { scales: { y: { beginAtZero: true } } }) };
    }
    return null;
  }

  function initCharts() {
    if (!window.Chart) return;
    $$('canvas[data-chart]').forEach(cv => {
      const src = document.getElementById(cv.dataset.source);
      if (!src) return;
      let d;
      try { d = JSON.parse(src.textContent); } catch (e) { return; }
      const cfg = chartConfig(cv.dataset.chart, d);
      if (cfg) { new window.Chart(cv, cfg); cv.dataset.ready = '1'; }
    });
  }

  document.addEventListener('DOMContentLoaded', () => { initUpload(); initCompare(); });
  window.addEventListener('load', initCharts);
})();
