/* Stemming for Material's search, loaded in its search worker.
 *
 * Material appends a wildcard to every word a reader types, so that words match as they are
 * typed; lunr then skips its search pipeline for that word, and a stemmed index (which holds
 * "visit" for "visits" and "предупрежден" for "предупреждения") misses the complete word the
 * reader typed. Here a typed word is replaced by its stem, still with the wildcard: the stem
 * of a word is what the index holds for every form of it, and a wildcard on the stem still
 * finds a word typed halfway. Languages without a stemmer are left as they are.
 */
(function () {
  "use strict";
  var pipeline = null;

  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    pipeline = this.searchPipeline;
    return build.apply(this, arguments);
  };

  var parse = lunr.QueryParser.prototype.parse;
  lunr.QueryParser.prototype.parse = function () {
    var query = parse.apply(this, arguments);
    if (pipeline === null) {
      return query;
    }
    query.clauses.forEach(function (clause) {
      var term = clause.term;
      if (term.length < 2 || term.charAt(term.length - 1) !== "*") {
        return;
      }
      var word = term.slice(0, -1);
      if (word.indexOf("*") !== -1) {
        return;
      }
      var stems = pipeline.runString(word);
      if (stems.length === 1 && stems[0] && stems[0] !== word) {
        clause.term = stems[0] + "*";
      }
    });
    return query;
  };
})();
