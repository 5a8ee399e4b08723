/**
 * The content scripts' minifier renames the properties listed in
 * utils/annotator/private-props.ts. A listed name that is also a member of something crossing a
 * script's edge would break that exchange silently: the other side still uses the long name.
 * This reads the types of everything that crosses (with the TypeScript compiler, as the
 * project's own type check sees them) and checks that no listed name is a member of any of
 * them, at any depth.
 */
import path from 'node:path';
import ts from 'typescript';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_PRIVATE_PROPS, privatePropsPattern } from '../../../utils/annotator/private-props';

const root = path.resolve(__dirname, '../../..');

/** Exported types whose values leave or enter a content script, by file. */
const EDGES: Record<string, string[]> = {
  // Messages and their replies, with the envelopes around them.
  'utils/messages.ts': ['ProtocolMap', 'Envelope'],
  // The init reply carries the matcher data, card strings and styles.
  'utils/annotator/types.ts': ['AnnotatorInitReq', 'AnnotatorInit', 'CardData'],
  'utils/matcher/types.ts': ['PackedMatcher', 'MatcherData'],
  // The hover card's module is a script of its own, driven through these.
  'utils/annotator/card.ts': ['UiHost', 'Ui', 'CreateUi'],
  'utils/annotator/ui.ts': ['UiCss'],
  // Published as the `cmed:annotate` measure's detail, read by tests and the benchmark.
  'utils/annotator/annotator.ts': ['PassStats'],
  // The event an older copy of the script listens for.
  'utils/annotator/context.ts': ['StartedDetail'],
};

function program(): ts.Program {
  const configPath = path.join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error('tsconfig.json did not parse');
  return ts.createProgram(
    Object.keys(EDGES).map((f) => path.join(root, f)),
    parsed.options,
  );
}

/** Every member name reachable from `start`: properties, their types, type arguments, union parts, call signatures. */
function memberNames(checker: ts.TypeChecker, start: ts.Type): Set<string> {
  const names = new Set<string>();
  const seen = new Set<ts.Type>();
  const visit = (t: ts.Type): void => {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.isUnionOrIntersection()) t.types.forEach(visit);
    for (const arg of checker.getTypeArguments(t as ts.TypeReference) ?? []) visit(arg);
    const ownMembers = t.getProperties().filter((p) =>
      (p.declarations ?? []).some((d) => !d.getSourceFile().fileName.includes('/node_modules/')),
    );
    // Platform types (Document, Promise, Array …) are not walked: terser never renames their members.
    const platform = t.getProperties().length > 0 && ownMembers.length === 0;
    if (!platform) {
      for (const p of ownMembers) {
        names.add(p.name);
        const decl = p.valueDeclaration ?? p.declarations?.[0];
        if (decl) visit(checker.getTypeOfSymbolAtLocation(p, decl));
      }
    }
    for (const sig of [...t.getCallSignatures(), ...t.getConstructSignatures()]) {
      visit(sig.getReturnType());
      for (const param of sig.getParameters()) {
        const decl = param.valueDeclaration ?? param.declarations?.[0];
        if (decl) visit(checker.getTypeOfSymbolAtLocation(param, decl));
      }
    }
  };
  visit(start);
  return names;
}

describe('the content scripts’ private property names', () => {
  const prog = program();
  const checker = prog.getTypeChecker();
  const edgeNames = new Map<string, string[]>();
  for (const [file, typeNames] of Object.entries(EDGES)) {
    const sf = prog.getSourceFile(path.join(root, file));
    if (!sf) throw new Error(`${file} not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    for (const typeName of typeNames) {
      const sym = exports.find((s) => s.name === typeName);
      if (!sym) throw new Error(`${file} exports no ${typeName}`);
      const type = checker.getDeclaredTypeOfSymbol(sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym);
      for (const n of memberNames(checker, type)) edgeNames.set(n, [...(edgeNames.get(n) ?? []), `${file} ${typeName}`]);
    }
  }

  it('reads the edge types deeply (a check that sees nothing would pass anything)', () => {
    // Names from several depths: a message reply's member, the matcher data inside the init
    // reply, a hover-card callback's parameter type, a measure detail's member.
    for (const n of ['entryIds', 'matcher', 'dense', 'exactAt', 'kindLabel', 'label', 'busyMs', 'contentScriptName', 'enter']) {
      expect(edgeNames.has(n), n).toBe(true);
    }
  });

  it('none of them is a member of anything that crosses a content script’s edge', () => {
    const clashes = CONTENT_PRIVATE_PROPS.filter((n) => edgeNames.has(n)).map((n) => `${n}: ${edgeNames.get(n)!.join(', ')}`);
    expect(clashes).toEqual([]);
  });

  it('none of them is a platform name (terser would rename it: wxt.config.ts lets it use the platform’s names)', async () => {
    // The list terser consults (not among the package's exports, so loaded by its path).
    const { domprops } = (await import(pathToFileURL(path.join(root, 'node_modules/terser/tools/domprops.js')).href)) as { domprops: string[] };
    const platform = new Set(domprops);
    expect(CONTENT_PRIVATE_PROPS.filter((n) => platform.has(n))).toEqual([]);
  });

  it('none of them is a string the scripts’ code holds (a key an object literal of theirs may be read by)', () => {
    // An object literal's keys are renamed, a string is not: a table looked up by a string
    // (a site adapter's regions by page type: 'repo') would lose the renamed entry.
    // Strings known to be values only: an annotator state ('busy', data-cmed-annotator).
    const values = new Set(['busy']);
    const scripts = ts.createProgram(
      ['arxiv', 'acl', 'github'].map((s) => path.join(root, `entrypoints/${s}.content/index.ts`)),
      prog.getCompilerOptions(),
    );
    const listed = new Set<string>(CONTENT_PRIVATE_PROPS);
    const held: string[] = [];
    for (const sf of scripts.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
      const visit = (n: ts.Node): void => {
        // Types and module names are not in the scripts' code.
        if (ts.isLiteralTypeNode(n) || ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return;
        if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && listed.has(n.text) && !values.has(n.text)) held.push(`${path.relative(root, sf.fileName)}: ${n.text}`);
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(held).toEqual([]);
  });

  it('the pattern matches exactly the listed names', () => {
    const re = privatePropsPattern();
    for (const n of CONTENT_PRIVATE_PROPS) expect(re.test(n), n).toBe(true);
    for (const n of ['blocks', 'xblock', 'scanned', 'entryIds', 'stats', '']) expect(re.test(n), n).toBe(false);
  });
});
