// The SQL editor: CodeMirror 6 with PostgreSQL highlighting, completion of keywords and of the
// current database's table names, Ctrl/Cmd+Enter to run, and a mark on the error's position.
import {Compartment, EditorState, Prec, StateEffect, StateField} from '@codemirror/state';
import {Decoration, EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder} from '@codemirror/view';
import {defaultKeymap, history, historyKeymap, indentWithTab} from '@codemirror/commands';
import {bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting} from '@codemirror/language';
import {autocompletion, closeCompletion, completionKeymap} from '@codemirror/autocomplete';
import {PostgreSQL, sql} from '@codemirror/lang-sql';
import {byteColumnToIndex} from './sql.js';

const setErrorMark = StateEffect.define();

// The error's decorations: the line, and the token starting at the position. Cleared by an edit.
const errorField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) if (effect.is(setErrorMark)) return effect.value;
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

// The document offset of the server's 1-based line and (byte) column, clamped into the document.
function positionToOffset(doc, line, column) {
  const target = doc.line(Math.min(Math.max(1, line), doc.lines));
  return target.from + byteColumnToIndex(target.text, column);
}

// The span to mark from `from`: the word or quoted token there, else one character.
function tokenEnd(doc, from) {
  const text = doc.sliceString(from, Math.min(doc.length, from + 200));
  const match = /^("(?:[^"]|"")*"?|'(?:[^']|'')*'?|[\p{L}\p{N}_$]+|\S)/u.exec(text);
  return from + (match ? match[0].length : 0);
}

export class SqlEditor {
  // `onRun()` is called by Ctrl/Cmd+Enter.
  constructor(parent, {onRun, doc = ''}) {
    this.schema = new Compartment();
    const runKey = () => {
      onRun();
      return true;
    };
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc,
        extensions: [
          Prec.highest(keymap.of([
            {key: 'Mod-Enter', run: runKey},
            {key: 'Ctrl-Enter', run: runKey},
          ])),
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle, {fallback: true}),
          autocompletion({activateOnTyping: true, icons: false}),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          this.schema.of(sql({dialect: PostgreSQL, upperCaseKeywords: true})),
          placeholder('SELECT … — Ctrl+Enter runs'),
          errorField,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({'aria-label': 'SQL editor', 'data-testid': 'sql-input'}),
        ],
      }),
    });
  }

  get text() {
    return this.view.state.doc.toString();
  }

  // Replaces the text, puts the cursor at its end and focuses the editor.
  setText(text) {
    this.view.dispatch({
      changes: {from: 0, to: this.view.state.doc.length, insert: text},
      selection: {anchor: text.length},
    });
    this.view.focus();
  }

  focus() {
    this.view.focus();
  }

  // Closes the completion list (a run makes it stale).
  closeCompletion() {
    closeCompletion(this.view);
  }

  // Completion of these table names (the current database's).
  setTables(names) {
    const schema = Object.fromEntries(names.map((n) => [n, []]));
    this.view.dispatch({effects: this.schema.reconfigure(sql({dialect: PostgreSQL, upperCaseKeywords: true, schema}))});
  }

  // Marks the error at {line, column} (null: clears the mark) and moves the cursor there.
  markError(position) {
    if (!position) {
      this.view.dispatch({effects: setErrorMark.of(Decoration.none)});
      return;
    }
    const doc = this.view.state.doc;
    const from = positionToOffset(doc, position.line, position.column);
    const to = tokenEnd(doc, from);
    const marks = [Decoration.line({class: 'cm-error-line'}).range(doc.lineAt(from).from)];
    if (to > from) marks.push(Decoration.mark({class: 'cm-error-mark', attributes: {'data-testid': 'editor-error-mark'}}).range(from, to));
    this.view.dispatch({
      effects: [setErrorMark.of(Decoration.set(marks, true)), EditorView.scrollIntoView(from, {y: 'center'})],
      selection: {anchor: from},
    });
  }
}
