/* Thigh Twitch Guide search worker.

   Material's own lunr worker does the indexing, matching and highlighting; this file wraps it
   (Material supports a custom worker through its config) and changes four things:

   1. Stemming. The index runs lunr's Porter stemmer (mkdocs.yml: pipeline), and each query word
      is stemmed the same way here, before Material adds its trailing wildcard, so "wasting"
      finds "wasting", "twitches" finds "twitching". Words of three letters or fewer (ALS, MND,
      EMG) are left whole on both sides: Porter would cut "als" to "al".
   2. Synonyms. The reader's words are mapped to the site's words from one reviewed list,
      docs/_data/synonyms.yml, which hooks/search.py puts into the index's config.
   3. Whole words. A query word that is itself a word of the site is matched whole; only a word
      still being typed (not in the site's vocabulary) gets the prefix wildcard. So "als" does
      not match "also".
   4. Section-first results. Material ranks every page record above its own sections and
      renders results page by page. Here each section is its own result, ranked on its own
      match; a page record wins only when the page as a whole is the best match.

   The engine file name carries Material's hash, so the page passes it as ?engine=. */
(function () {
  "use strict";

  var MESSAGE = { SETUP: 0, READY: 1, QUERY: 2, RESULT: 3 };

  var engine = new URL(self.location.href).searchParams.get("engine") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(engine)) {
    throw new Error("ttg-search: unexpected search engine file " + JSON.stringify(engine));
  }

  /* Load Material's worker, holding back its message listener so queries pass through here. */
  var materialListeners = [];
  var addEventListener = self.addEventListener;
  self.addEventListener = function (type, listener) {
    if (type === "message") { materialListeners.push(listener); return; }
    return addEventListener.apply(self, arguments);
  };
  importScripts(engine);
  self.addEventListener = addEventListener;

  var lunr = self.lunr;
  var porter = lunr.stemmer;

  /* Short words and acronyms stay whole, in the index and in the query alike. */
  function stemWord(word) {
    return word.length <= 3 ? word : porter(new lunr.Token(word)).toString();
  }
  function stemmer(token) {
    return token.update(function (word) { return stemWord(word); });
  }
  lunr.Pipeline.registerFunction(stemmer, "ttgStemmer");

  /* Material turns off lunr's length normalisation (b = 0), so a long section that lists ten
     topics outranks the short one about the reader's topic. Put it back (b = 1 ranked best on the query set: make bench). */
  var LENGTH_NORMALISATION = 1;
  lunr.Builder.prototype.b = function () { this._b = LENGTH_NORMALISATION; };
  lunr.stemmer = stemmer;  // read by lunr() when Material builds the index

  var separator = /[\s\-,:;!?=\[\]()"'\/]+|\.(?!\d)/;
  var synonyms = [];       // [{words: [stems of the reader's phrase], replace: [site words]}]
  var vocabulary = {};     // stemmed word -> true, for every word in the site's text
  var spellings = {};      // word as written on the site -> true
  var records = {};        // stemmed word -> how many records (pages and sections) use it
  var recordCount = 1;
  var stemsOf = {};        // record location -> the stems it contains (with its page title)

  function words(text) {
    return text.toLowerCase().replace(/[\u2018\u2019]/g, "'").split(separator)
      .map(function (w) { return w.replace(/^'+|'+$/g, ""); })
      .filter(function (w) { return w.length > 0; });
  }

  function setup(data) {
    if (data.config.separator) separator = new RegExp(data.config.separator);
    var map = data.config.synonyms || {};
    Object.keys(map).forEach(function (phrase) {
      // "calf, calves": alternatives; "motor neurone disease": one phrase, every word needed.
      synonyms.push({
        words: words(phrase).map(stemWord),
        replace: map[phrase].split(",").map(words).filter(function (a) { return a.length; })
      });
    });
    // Longest phrases first, so "restless legs" wins over "legs".
    synonyms.sort(function (a, b) { return b.words.length - a.words.length; });
    data.docs.forEach(function (doc) {
      var inDoc = {};
      words((doc.title + " " + doc.text).replace(/<[^>]*>/g, " ")).forEach(function (w) {
        var stem = stemWord(w);
        vocabulary[stem] = true;
        inDoc[stem] = true;
        if (w.length >= 4 && /^[a-z]+$/.test(w)) spellings[w] = true;
      });
      Object.keys(inDoc).forEach(function (stem) { records[stem] = (records[stem] || 0) + 1; });
      words(doc.page || "").forEach(function (w) { inDoc[stemWord(w)] = true; });
      stemsOf[doc.location] = Object.keys(inDoc);
    });
    recordCount = data.docs.length;
  }

  /* Words that carry no topic, dropped from the query. Shorter than lunr's list, which also
     drops "who", "which", "get", "when" and "too": words that name sections here ("Who gets it"). The
     index keeps every word (mkdocs.yml: no stopWordFilter), so any of them can still match. */
  var STOP_WORDS = {};
  ("a am an and are as at be been but by can could did do does doing for from had has have he " +
   "her his how i if in into is it its me my of on or our she so than that the their them then " +
   "there these they this to us was we were what will with would you your i'm im it's " +
   "should much many any some just").split(" ").forEach(function (w) { STOP_WORDS[w] = true; });

  function isStopWord(word) {
    return STOP_WORDS[word] === true;
  }

  /* One word -> the term Material searches for, and the key under which Material reports
     whether it matched. A word of the site is matched whole (lunr stems it, as it did the
     index); any other, such as a word still being typed, by its beginning: Material adds the
     wildcard, which skips lunr's pipeline, so the stem is given here. Where stemming the stem
     again changes nothing the stem is given, so Material's record of matches uses that form. */
  function term(word) {
    var stem = stemWord(word);
    if (!vocabulary[stem]) return { query: stem, key: stem, prefix: true };
    return { query: (stemWord(stem) === stem ? stem : word) + "^1", key: stem, prefix: false };
  }

  /* The reader's query -> the query Material runs. Also records the reader's words as groups
     of keys: one word, or one synonym phrase together with the site's words for it. */
  var lastGroups = [];

  function rewrite(query) {
    var input = words(query);
    var stems = input.map(stemWord);
    var groups = [];
    for (var i = 0; i < input.length;) {
      var hit = null;
      for (var s = 0; s < synonyms.length && !hit; s++) {
        var phrase = synonyms[s].words;
        if (phrase.length && phrase.every(function (w, k) { return stems[i + k] === w; })) hit = synonyms[s];
      }
      var n = hit ? hit.words.length : 1;
      var own = input.slice(i, i + n);
      if (hit) {
        // The site's words for the phrase, plus the reader's word itself where the site uses
        // it too ("dangerous" stays beside "serious").
        var group = hit.replace.slice();
        if (n === 1 && vocabulary[stems[i]]) group.push([own[0]]);
        groups.push(group);
      } else if (!isStopWord(own[0])) {
        groups.push([own]);
      }
      i += n;
    }
    if (!groups.length) groups = input.map(function (w) { return [[w]]; });  // "what is it"
    var seen = {};
    var terms = [];
    // A group is a list of alternatives; an alternative is a list of terms that must all be
    // present ("motor neurone disease" counts only where all three words are).
    lastGroups = groups.map(function (group) {
      return group.map(function (alternative) {
        return alternative.map(term).filter(function (t) {
          if (!/[a-z0-9]/.test(t.key)) return false;
          if (!seen[t.query]) { seen[t.query] = true; terms.push(t.query); }
          return true;
        });
      }).filter(function (alternative) { return alternative.length; });
    }).filter(function (group) { return group.length; });
    return terms.join(" ");
  }

  /* Material's boost, undone and redone. Material multiplies a result's score by
     1 + (isPage + share of query terms matched)^2, which puts every page record above the
     sections that answer. Here a result's score is lunr's match times the square of the share
     of the reader's words it covers (a synonym's terms count as one word), with a small edge
     for page records, so a page wins when the page as a whole is the best match. The weights
     were chosen by measurement on tests/data/search-queries.yml (make bench). */
  var PAGE_EDGE = 2;

  function share(terms) {
    var keys = Object.keys(terms || {});
    if (!keys.length) return 1;
    return keys.filter(function (k) { return terms[k]; }).length / keys.length;
  }

  /* Words on most records of this site ("twitching", "thigh") say little about which section
     answers: they still rank, but a result is not marked down for lacking them. */
  var COMMON_SHARE = 0.3;

  function isCommon(group) {
    return group.every(function (alternative) {
      return alternative.every(function (t) { return (records[t.key] || 0) / recordCount > COMMON_SHARE; });
    });
  }

  function contains(location, t) {
    var stems = stemsOf[location] || [];
    return t.prefix
      ? stems.some(function (stem) { return stem.indexOf(t.key) === 0; })
      : stems.indexOf(t.key) >= 0;
  }

  /* The share of the reader's words (groups) that a record contains. */
  function coverage(location) {
    var groups = lastGroups.filter(function (group) { return !isCommon(group); });
    if (!groups.length) groups = lastGroups;
    if (!groups.length) return 1;
    return groups.filter(function (group) {
      return group.some(function (alternative) {
        return alternative.every(function (t) { return contains(location, t); });
      });
    }).length / groups.length;
  }

  function sectionFirst(items) {
    var flat = [];
    items.forEach(function (group) { group.forEach(function (item) { if (item.score > 0) flat.push(item); }); });
    flat.forEach(function (item) {
      var isPage = item.location.indexOf("#") < 0;
      var raw = item.score / (1 + Math.pow((isPage ? 1 : 0) + share(item.terms), 2));
      var c = coverage(item.location);
      // A record with none of the telling words sinks to the end but stays in the list.
      item.score = raw * (c * c + 0.01) * (isPage ? PAGE_EDGE : 1);
    });
    flat.sort(function (a, b) { return b.score - a.score; });
    return flat.map(function (item) {
      if (!item.parent) return [item];
      // Material renders a result as page card + sections; the page card here carries only the
      // page title (site.js folds it into the section's card as a label).
      var page = item.parent;
      var label = { location: page.location, title: page.title, text: "", score: 0, terms: {} };
      delete item.parent;
      return [item, label];
    });
  }

  /* No match: offer the site's words closest to what was typed ("Did you mean"). */
  function distance(a, b) {
    if (Math.abs(a.length - b.length) > 2) return 3;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  function closest(query) {
    var input = words(query);
    var best = [];
    input.forEach(function (w, index) {
      if (w.length < 4 || isStopWord(w)) return;
      var limit = w.length < 7 ? 1 : 2;
      Object.keys(spellings).forEach(function (known) {
        if (known === w) return;
        var d = distance(w, known);
        if (d <= limit) {
          var fixed = input.slice();
          fixed[index] = known;
          best.push({ d: d, query: fixed.join(" ") });
        }
      });
    });
    best.sort(function (a, b) { return a.d - b.d || a.query.length - b.query.length; });
    var seen = {};
    return best.filter(function (b) { return seen[b.query] ? false : (seen[b.query] = true); })
      .slice(0, 3).map(function (b) { return b.query; });
  }

  var lastQuery = "";
  var postMessage = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === MESSAGE.RESULT && message.data && message.data.items) {
      message.data.items = sectionFirst(message.data.items);
      message.data.ttgQuery = lastQuery;  // which query these results answer (site.js shows it)
      if (!message.data.items.length && lastQuery.trim()) message.data.ttgClosest = closest(lastQuery);
    }
    return postMessage.apply(self, arguments);
  };

  addEventListener.call(self, "message", function (event) {
    var message = event.data;
    if (message && message.type === MESSAGE.SETUP) setup(message.data);
    if (message && message.type === MESSAGE.QUERY && typeof message.data === "string") {
      lastQuery = message.data;
      message = { type: MESSAGE.QUERY, data: rewrite(message.data) };
    }
    materialListeners.forEach(function (listener) { listener.call(self, { data: message }); });
  });
})();
