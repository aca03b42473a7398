/**
 * The report's own script, run in the browser after graphology and sigma.js. It reads the graph from the inline
 * JSON, draws it, and links a clicked node or edge to its rows in the evidence table. It writes untrusted text only
 * through textContent, never as markup.
 */
export const HTML_APP = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('case-data').textContent);
  var graph = new graphology.MultiDirectedGraph();
  graph.import(data.graph);
  var R = Sigma.rendering;
  var renderer = new Sigma(graph, document.getElementById('graph'), {
    primitives: { edges: { extremities: [R.extremityArrow()] } },
    styles: { nodes: [Sigma.DEFAULT_STYLES.nodes], edges: [Sigma.DEFAULT_STYLES.edges, { head: 'arrow' }] },
    settings: { renderEdgeLabels: true, labelRenderedSizeThreshold: 0, enableEdgeEvents: true, stagePadding: 120, itemSizesReference: 'screen', autoRescale: true }
  });
  var details = document.getElementById('details');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#evidence tbody tr, #nodes tbody tr'));
  function show(lines, match) {
    details.textContent = '';
    lines.forEach(function (line) {
      var div = document.createElement('div');
      div.textContent = line;
      details.appendChild(div);
    });
    rows.forEach(function (row) {
      var on = match(row);
      row.classList.toggle('hit', on);
      if (on) row.scrollIntoView({ block: 'nearest' });
    });
  }
  renderer.on('clickNode', function (e) {
    var a = graph.getNodeAttributes(e.node);
    show([e.node].concat(a.details || []), function (row) {
      return row.dataset.from === e.node || row.dataset.to === e.node || row.dataset.node === e.node;
    });
  });
  renderer.on('clickEdge', function (e) {
    var a = graph.getEdgeAttributes(e.edge);
    show([a.label, 'tx ' + a.txid, graph.source(e.edge) + ' -> ' + graph.target(e.edge)], function (row) {
      return row.dataset.txid === a.txid;
    });
  });
  renderer.on('clickStage', function () {
    show([], function () { return false; });
  });
  window.cryptotraceReport = { graph: graph, renderer: renderer, nodes: graph.order, edges: graph.size };
  document.body.dataset.ready = 'true';
})();
`;
