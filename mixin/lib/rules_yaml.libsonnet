// Renders a Prometheus rules file ({groups: [...]}) as YAML in the layout of hand-written rules:
// keys in the usual order (alert/record, expr, for, keep_firing_for, labels, annotations),
// multi-line expressions as literal blocks, long annotations folded, and a group's or rule's
// hidden field `comment::` as a YAML comment above it (std.manifestYamlDoc would sort the keys
// and drop the comments). Every scalar is written plain, single-quoted, double-quoted (JSON
// escapes), as a literal block or as a folded block only where that style reads back as the
// same string; the result has no trailing newline (jsonnet -S adds one).
// Character tests use objects as sets and substring tests std.split (native in jsonnet):
// std.member and std.findSubstr on strings are slow enough to take minutes here.
local lower = 'abcdefghijklmnopqrstuvwxyz';
local digits = '0123456789';
local charSet(s) = { [c]: true for c in std.stringChars(s) };
local alnum = charSet(lower + std.asciiUpper(lower) + digits);
local digitSet = charSet(digits);
local plainChars = charSet(lower + std.asciiUpper(lower) + digits + '_.-/()=!<> :,');
local durationChars = charSet(digits + 'smhdwy');
local units = charSet('smhdwy');
// Words YAML 1.1 (go-yaml v2) reads as booleans or null.
local reserved = ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'];
local foldWidth = 100;

local last(s) = s[std.length(s) - 1];
local spaces(n) = std.repeat(' ', n);
local onlyChars(s, set) = std.length([c for c in std.stringChars(s) if !std.objectHas(set, c)]) == 0;
local contains(s, c) = std.length(std.split(s, c)) > 1;  // c: one character

local isDuration(s) = onlyChars(s, durationChars) && std.objectHas(units, last(s));

local isPlain(s) =
  std.length(s) > 0
  && onlyChars(s, plainChars)
  && std.objectHas(alnum, s[0])
  && !(std.objectHas(digitSet, s[0]) && !isDuration(s))
  // no ": " (a key), checked as a ':' followed by a space
  && std.length([p for p in std.split(s, ':')[1:] if p != '' && p[0] == ' ']) == 0
  && last(s) != ':'
  && last(s) != ' '
  && !std.member(reserved, std.asciiLower(s));

// The shortest decimal that reads back as the number (std.toString writes 0.3 as
// 0.29999999999999999).
local number(v) =
  if std.floor(v) == v && std.abs(v) < 1e15 then std.toString(v)
  else
    local p = [p for p in std.range(1, 17) if std.parseJson(std.format('%%.%dg' % p, v)) == v][0];
    std.format('%%.%dg' % p, v);

local singleQuoted(s) = "'" + std.strReplace(s, "'", "''") + "'";

// Greedy word wrap; words never contain spaces.
local wrap(words, width) = std.foldl(
  function(lines, w)
    if lines == [] then [w]
    else
      local n = std.length(lines);
      if std.length(lines[n - 1]) + 1 + std.length(w) <= width
      then lines[:n - 1] + [lines[n - 1] + ' ' + w]
      else lines + [w],
  words,
  []
);

// A one-line string as a folded block: the lines joined by single spaces give it back, which
// holds when no word is empty (no leading, trailing or double spaces) and there are no tabs.
local foldable(s, indent) =
  std.length(s) + indent > foldWidth
  && !contains(s, '\t')
  && !contains(s, '\r')
  && std.length([w for w in std.split(s, ' ') if w == '']) == 0;

// A multi-line string as a literal block: "|" keeps one final newline, "|-" none.
local literal(s, indent) =
  local body = if std.endsWith(s, '\n') then s[:std.length(s) - 1] else s;
  local ok = !std.endsWith(body, '\n') && body != '' && body[0] != ' '
             && !contains(s, '\r');
  if !ok then null
  else
    (if std.endsWith(s, '\n') then '|' else '|-') + '\n'
    + std.join('\n', [if l == '' then '' else spaces(indent) + l for l in std.split(body, '\n')]);

// The scalar after "key: ", whose continuation lines (if any) are indented by `indent`.
local scalar(v, indent) =
  if std.isString(v) then
    if contains(v, '\n') then
      local block = literal(v, indent);
      if block != null then block else std.escapeStringJson(v)
    else if foldable(v, indent) then
      '>-\n' + std.join('\n', [spaces(indent) + l for l in wrap(std.split(v, ' '), foldWidth - indent)])
    else if isPlain(v) then v
    else singleQuoted(v)
  else if std.isBoolean(v) then (if v then 'true' else 'false')
  else if std.isNumber(v) then number(v)
  else error 'rules_yaml: unsupported value ' + std.toString(v);

local first = ['name', 'interval', 'limit', 'alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations', 'summary', 'description'];
local final = ['runbook', 'runbook_url', 'rules'];
local orderedKeys(o) =
  local fields = std.objectFields(o);
  [k for k in first if std.member(fields, k)]
  + [k for k in fields if !std.member(first, k) && !std.member(final, k)]
  + [k for k in final if std.member(fields, k)];

local comment(o, indent) =
  if std.objectHasAll(o, 'comment') then
    [spaces(indent) + '#' + (if l == '' then '' else ' ' + l) for l in std.split(std.rstripChars(o.comment, '\n'), '\n')]
  else [];

// The lines of a mapping at `indent`; nested mappings two spaces deeper, `rules` lists handled
// by the caller.
local mapping(o, indent) = std.flattenArrays([
  local v = o[k];
  if std.isObject(v) then
    [spaces(indent) + k + ':'] + mapping(v, indent + 2)
  else
    [spaces(indent) + k + ': ' + scalar(v, indent + 2)]
  for k in orderedKeys(o)
  if k != 'rules'
]);

// A mapping as an item of a list whose dashes are at `indent`.
local item(o, indent) =
  local lines = std.split(std.join('\n', mapping(o, indent + 2)), '\n');
  [spaces(indent) + '- ' + lines[0][indent + 2:]] + lines[1:];

local ruleLines(rules, indent) =
  local rendered = [item(r, indent) for r in rules];
  std.flattenArrays([
    local separate = i > 0 && (std.objectHasAll(rules[i], 'comment')
                               || std.length(rendered[i]) > 2 || std.length(rendered[i - 1]) > 2);
    (if separate then [''] else []) + comment(rules[i], indent) + rendered[i]
    for i in std.range(0, std.length(rules) - 1)
  ]);

{
  // header: comment text for the top of the file; file: {groups: [...]}.
  render(header, file)::
    local groups = file.groups;
    std.join('\n', [
      '#' + (if l == '' then '' else ' ' + l)
      for l in std.split(std.rstripChars(header, '\n'), '\n')
    ] + ['groups:'] + std.flattenArrays([
      (if i > 0 then [''] else [])
      + comment(groups[i], 2)
      + item(groups[i], 2)
      + ['    rules:']
      + ruleLines(groups[i].rules, 6)
      for i in std.range(0, std.length(groups) - 1)
    ])),

  // A text block (|||) as one line, its lines joined by single spaces: what a YAML ">-" block
  // of the same lines means. For annotations written over several lines.
  fold(text):: std.join(' ', std.split(std.rstripChars(text, '\n'), '\n')),

  number:: number,
}
