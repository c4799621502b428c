// RACI overview: filter the matrix by process (hides the other processes'
// rows) and by role (hides the other roles' columns and the activities the
// role has no letter for). Progressive: the filter is made here, so without
// script the whole matrix shows. A status line says what is shown.
// Self-written, no dependency, works from file:// and offline.
(function () {
  'use strict';

  function ready(fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  }

  /** A labelled select of `names` (values: their index), after "all". */
  function select(label, all, names) {
    var wrap = document.createElement('label');
    wrap.appendChild(document.createTextNode(label));
    var box = document.createElement('select');
    [all].concat(names).forEach(function (name, i) {
      var option = document.createElement('option');
      option.value = i === 0 ? '' : String(i - 1);
      option.textContent = name;
      box.appendChild(option);
    });
    wrap.appendChild(box);
    return { wrap: wrap, box: box };
  }

  /** A process's name: its group header's own text, without the owner. */
  function groupName(body) {
    var th = body.querySelector('tr.raci-group th');
    return th && th.firstChild ? th.firstChild.textContent.trim() : '';
  }

  ready(function () {
    var table = document.querySelector('.raci-scroll table.raci-matrix');
    if (!table || !table.tHead) return;
    var bodies = Array.prototype.slice.call(table.tBodies);
    var roles = Array.prototype.slice.call(table.tHead.rows[0].cells, 1).map(function (c) { return c.textContent.trim(); });
    var process = select('Process', 'All processes', bodies.map(groupName));
    var role = select('Role', 'All roles', roles);
    // An <output> is a status: screen readers announce what it says.
    var status = document.createElement('output');
    var form = document.createElement('form');
    form.className = 'raci-filter';
    form.setAttribute('aria-label', 'Filter the RACI matrix');
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    form.appendChild(process.wrap);
    form.appendChild(role.wrap);
    form.appendChild(status);
    var scroll = table.closest('.raci-scroll');
    scroll.parentNode.insertBefore(form, scroll);

    function apply() {
      var p = process.box.value === '' ? -1 : Number(process.box.value);
      var r = role.box.value === '' ? -1 : Number(role.box.value);
      var shownRows = 0;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, i) {
        cell.hidden = r >= 0 && i > 0 && i - 1 !== r;
      });
      bodies.forEach(function (body, b) {
        var visible = 0;
        Array.prototype.forEach.call(body.rows, function (row) {
          if (row.classList.contains('raci-group')) {
            row.cells[0].colSpan = r >= 0 ? 2 : roles.length + 1;
            return;
          }
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            cell.hidden = r >= 0 && i > 0 && i - 1 !== r;
          });
          var hide = p >= 0 && b !== p || r >= 0 && !(row.cells[r + 1] && row.cells[r + 1].textContent.trim());
          row.hidden = hide;
          if (!hide) visible += 1;
        });
        body.hidden = visible === 0;
        shownRows += visible;
      });
      var columns = r >= 0 ? 1 : roles.length;
      status.textContent = 'Showing ' + shownRows + (shownRows === 1 ? ' activity' : ' activities') + ' and ' +
        columns + (columns === 1 ? ' role' : ' roles') + '.';
    }
    process.box.addEventListener('change', apply);
    role.box.addEventListener('change', apply);
    apply();
  });
})();
