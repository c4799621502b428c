// PNG downloads drawn by the reader's browser from the diagram on the page,
// for diagrams the build wrote no PNG file for (the default: rasterising every
// diagram at build time is most of a large build's time). The picture is the
// page's own SVG at twice its size, drawn with the bundled Inter font (loaded
// from fonts/inter-data.js on the first click, as data: URLs, because an SVG
// drawn as an image may load nothing from outside itself) — so it matches the
// SVG download. Works offline and from file://. Without script the button
// stays hidden and the SVG download remains.
(function () {
  'use strict';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  // Browsers refuse canvases much beyond this; larger diagrams are drawn smaller.
  var MAX_PIXELS = 40e6;
  var MAX_SIDE = 16384;
  var script = document.currentScript;
  var fontsUrl = script ? new URL('fonts/inter-data.js', script.src).href : 'fonts/inter-data.js';
  var fonts = null;

  function loadFonts() {
    if (fonts) return fonts;
    fonts = new Promise(function (resolve, reject) {
      var tag = document.createElement('script');
      tag.src = fontsUrl;
      tag.onload = function () { window.procflowFonts ? resolve(window.procflowFonts) : reject(new Error('no fonts')); };
      tag.onerror = function () { fonts = null; reject(new Error('the font file could not be loaded')); };
      document.head.appendChild(tag);
    });
    return fonts;
  }

  function standalone(svg, faces) {
    var copy = svg.cloneNode(true);
    // The viewer's zoom (viewer.js) is a CSS size on the page, not part of the picture.
    copy.removeAttribute('style');
    var style = document.createElementNS(SVG_NS, 'style');
    style.textContent =
      '@font-face{font-family:Inter;font-weight:400;src:url(data:font/otf;base64,' + faces.regular + ')}' +
      '@font-face{font-family:Inter;font-weight:600;src:url(data:font/otf;base64,' + faces.semibold + ')}';
    copy.insertBefore(style, copy.firstChild);
    return new XMLSerializer().serializeToString(copy);
  }

  function draw(svg, faces) {
    var width = svg.width.baseVal.value, height = svg.height.baseVal.value;
    var scale = Math.min(2, Math.sqrt(MAX_PIXELS / (width * height)), MAX_SIDE / Math.max(width, height));
    var image = new Image();
    var url = URL.createObjectURL(new Blob([standalone(svg, faces)], { type: 'image/svg+xml' }));
    image.src = url;
    return image.decode().then(function () {
      var canvas = document.createElement('canvas');
      canvas.width = Math.ceil(width * scale);
      canvas.height = Math.ceil(height * scale);
      var context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error('the picture is too large')); }, 'image/png');
      });
    });
  }

  function save(blob, name) {
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  document.querySelectorAll('button.png-download').forEach(function (button) {
    var svg = button.closest('figure') && button.closest('figure').querySelector('svg');
    if (!svg || !window.Blob || !window.XMLSerializer) return;
    button.parentNode.hidden = false;
    button.addEventListener('click', function () {
      button.disabled = true;
      loadFonts()
        .then(function (faces) { return draw(svg, faces); })
        .then(function (blob) { save(blob, button.dataset.file); })
        .catch(function (error) { button.title = 'The PNG could not be made: ' + error.message + '. Use the SVG.'; })
        .then(function () { button.disabled = false; });
    });
  });
})();
