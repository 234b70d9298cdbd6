// Every `@example` of the API reference runs. The examples are read from the TSDoc of what each
// package's src/index.ts exports (the declarations typedoc documents in docs/api/, and the members of
// exported classes and interfaces), then:
//
// - each is written to a temporary .mts module that imports the names it uses but does not declare:
//   the exports of @lifecircle/core, @lifecircle/io and @lifecircle/cli, `writeFileSync`, and the
//   sample values of ./tsdoc-prelude.ts (`communities`, `demand`, `source`, `kindergartens` …, built
//   from the bundled city), so an example reads as documentation and still runs;
// - the modules are typechecked together against the sources in one program;
// - each module is run, from a temporary working folder (examples may write files).
//
// The examples of core's internal entry (@lifecircle/core/internal: what the CLI, the viewer and io
// share) run the same way, with its names too, although docs/api/ does not show them.
//
// An example that cannot run in Node is skipped only when its first line says why:
// `// not-run: reason` (the TSDoc counterpart of the Markdown docs' `<!-- not-run: reason -->`).
// The skipped examples are listed in the test names.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCompilerOptions, itRunsEach } from './run-examples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELUDE = fileURLToPath(new URL('./tsdoc-prelude.ts', import.meta.url));
const PACKAGES = ['core', 'io', 'cli'] as const;
const NOT_RUN = /^\/\/\s*not-run:\s*(.+?)\s*$/;
/** Names an example may use without importing them, beyond the packages' and the prelude's exports. */
const NODE_NAMES: Record<string, string> = { writeFileSync: 'node:fs', readFileSync: 'node:fs' };

interface Example {
  /** Repository-relative source file and 1-based line of the `@example` tag. */
  readonly file: string;
  readonly line: number;
  /** The documented export, e.g. `analyzeCoverage` or `RoadGraph.fromGeoJSON`. */
  readonly name: string;
  readonly package: (typeof PACKAGES)[number];
  readonly code: string;
  /** The reason given in a `// not-run: …` first line, or null. */
  readonly notRun: string | null;
  /** False for an example of core's internal entry, which docs/api/ does not show. */
  readonly documented: boolean;
}

const entry = (pkg: string) => join(ROOT, 'packages', pkg, 'src/index.ts');
/** core's internal entry (`@lifecircle/core/internal`). */
const INTERNAL = join(ROOT, 'packages/core/src/internal.ts');

/** The code of an `@example` tag: its lines with the comment's ` * ` margin removed, fences dropped. */
function exampleCode(source: ts.SourceFile, tag: ts.JSDocTag): string {
  const raw = source.text.slice(tag.tagName.end, tag.end);
  const lines = raw.split('\n').map((line) => line.replace(/^\s*\*(?: |$)/, ''));
  const code = lines
    .join('\n')
    .replace(/\*\/\s*$/, '')
    .replace(/^\s*```\w*\s*\n/, '')
    .replace(/\n\s*```\s*$/, '');
  return code.replace(/^\s*\n/, '').trimEnd();
}

function documentedDeclarations(
  checker: ts.TypeChecker,
  program: ts.Program,
  file: string,
): { name: string; node: ts.Node }[] {
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const out: { name: string; node: ts.Node }[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const declaration of symbol.declarations ?? []) {
      out.push({ name: exported.name, node: declaration });
      if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)) {
        for (const member of declaration.members) {
          const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
          if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
          const memberName = member.name && ts.isIdentifier(member.name) ? member.name.text : 'constructor';
          out.push({ name: `${exported.name}.${memberName}`, node: member });
        }
      }
    }
  }
  return out;
}

/** Every `@example` of the exported API, once each (a declaration re-exported twice is read once). */
function extractExamples(program: ts.Program): Example[] {
  const checker = program.getTypeChecker();
  const seen = new Set<ts.JSDocTag>();
  const examples: Example[] = [];
  const entries = [
    ...PACKAGES.map((pkg) => ({ pkg, file: entry(pkg), documented: true })),
    { pkg: 'core' as const, file: INTERNAL, documented: false },
  ];
  for (const { pkg, file, documented: shown } of entries) {
    for (const { name, node } of documentedDeclarations(checker, program, file)) {
      // A variable's TSDoc sits on its statement.
      const documented = ts.isVariableDeclaration(node) ? node.parent.parent : node;
      for (const tag of ts.getJSDocTags(documented)) {
        if (tag.tagName.text !== 'example' || seen.has(tag)) continue;
        seen.add(tag);
        const source = tag.getSourceFile();
        const code = exampleCode(source, tag);
        const firstLine = code.split('\n', 1)[0]!.trim();
        examples.push({
          file: relative(ROOT, source.fileName),
          line: source.getLineAndCharacterOfPosition(tag.getStart(source)).line + 1,
          name,
          package: pkg,
          code,
          notRun: NOT_RUN.exec(firstLine)?.[1] ?? null,
          documented: shown,
        });
      }
    }
  }
  return examples.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** The names a module declares at its top level (they must not be imported as well). */
function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations) bind(d.name);
    else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text);
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    }
  }
  return names;
}

/** Module of each name an example may use; `typeOnly` are the names that are only types. */
type Provided = Map<string, string> & { typeOnly?: ReadonlySet<string> };

/** Where each name an example may use comes from: its own package first, then the others, then the prelude. */
function provider(checker: ts.TypeChecker, program: ts.Program): (example: Example) => Provided {
  const typeOnly = new Set<string>();
  const exportsOf = (file: string) =>
    checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!).map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      if (!(target.flags & ts.SymbolFlags.Value)) typeOnly.add(s.name);
      return s.name;
    });
  const packageNames = new Map(PACKAGES.map((pkg) => [pkg, exportsOf(entry(pkg))] as const));
  const internalNames = exportsOf(INTERNAL);
  const preludeNames = exportsOf(PRELUDE);
  return (example) => {
    const from: Provided = new Map();
    from.typeOnly = typeOnly;
    const add = (names: readonly string[], module: string) => {
      for (const name of names) if (!from.has(name)) from.set(name, module);
    };
    add(packageNames.get(example.package)!, entry(example.package));
    for (const pkg of PACKAGES) add(packageNames.get(pkg)!, entry(pkg));
    // Only an internal declaration's example may use internal names: a public one must run as a user writes it.
    if (!example.documented) add(internalNames, INTERNAL);
    for (const [name, module] of Object.entries(NODE_NAMES)) add([name], module);
    add(preludeNames, PRELUDE);
    return from;
  };
}

function moduleText(example: Example, from: Provided): string {
  const declared = declaredNames(example.code);
  const source = ts.createSourceFile('x.ts', example.code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const used = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) used.add(node.text);
    node.forEachChild(visit);
  };
  visit(source);
  const imports = new Map<string, string[]>();
  for (const name of used) {
    const module = from.get(name);
    if (!module || declared.has(name)) continue;
    imports.set(module, [...(imports.get(module) ?? []), name]);
  }
  const header = [...imports]
    .map(([module, names]) => {
      const specifiers = names.sort().map((name) => (from.typeOnly?.has(name) ? `type ${name}` : name));
      return `import { ${specifiers.join(', ')} } from ${JSON.stringify(module)};`;
    })
    .join(' ');
  // One line of imports, so the example keeps its own line numbers (+1).
  return `${header}\n${example.code}\nexport {};\n`;
}

const options = exampleCompilerOptions();
const sourcesProgram = ts.createProgram([...PACKAGES.map(entry), INTERNAL, PRELUDE], options);
const examples = extractExamples(sourcesProgram);
const label = (e: Example) => `${e.file}:${e.line} ${e.name}`;

const work = mkdtempSync(join(tmpdir(), 'lifecircle-tsdoc-'));
const modules = new Map<string, Example>();
const runnable = examples.filter((e) => !e.notRun);
const pathOf = new Map<Example, string>();
const cwd = process.cwd();

beforeAll(() => {
  const from = provider(sourcesProgram.getTypeChecker(), sourcesProgram);
  mkdirSync(join(work, 'examples'));
  mkdirSync(join(work, 'cwd'));
  runnable.forEach((example, i) => {
    const path = join(work, 'examples', `${example.file.replace(/[^\w]+/g, '_')}_${example.line}_${i}.mts`);
    writeFileSync(path, moduleText(example, from(example)));
    modules.set(path, example);
    pathOf.set(example, path);
  });
});

afterAll(() => {
  process.chdir(cwd);
  rmSync(work, { recursive: true, force: true });
});

describe('TSDoc examples of the API reference', () => {
  it('finds the examples of every package', () => {
    expect(examples.length).toBeGreaterThan(60);
    for (const pkg of ['core', 'io'] as const) expect(examples.some((e) => e.package === pkg)).toBe(true);
  });

  it('finds the examples docs/api/ shows, no more and no fewer', () => {
    // typedoc renders each @example under an "Example" heading; an @example on a declaration that no
    // package exports never reaches docs/api/ and is not read here either.
    const headings = ['core', 'io', 'cli']
      .map((pkg) => join(ROOT, 'docs/api/@lifecircle', `${pkg}.md`))
      .filter((path) => existsSync(path))
      .flatMap((path) => readFileSync(path, 'utf8').match(/^#+ Example$/gm) ?? []);
    expect(examples.filter((e) => e.documented).length).toBe(headings.length);
  });

  it('typecheck against the sources', () => {
    const program = ts.createProgram([...modules.keys()], options, undefined, sourcesProgram);
    const messages = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && modules.has(d.file.fileName))
      .map((d) => {
        const example = modules.get(d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${example.file}:${example.line + line} (${example.name}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(messages.join('\n')).toBe('');
    // One TypeScript program over every source file: about 20 s on a quiet machine, over a
    // minute when the two cores are shared, so it gets more than the suite's 60 s.
  }, 180_000);

  itRunsEach(examples, label, (example) => pathOf.get(example)!, join(work, 'cwd'));
});

describe('the TSDoc examples test itself', () => {
  it('reads an example, its not-run marker and the names it declares', () => {
    const text = `/**
 * Doubles.
 *
 * @example
 * // not-run: needs a worker
 * const { a, b: [c] } = twice(1);
 *   indented(c);
 * @returns twice x
 */
export function twice(x: number) { return x * 2; }`;
    const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true);
    const tag = ts.getJSDocTags(source.statements[0]!).find((t) => t.tagName.text === 'example')!;
    const code = exampleCode(source, tag);
    expect(code).toBe('// not-run: needs a worker\nconst { a, b: [c] } = twice(1);\n  indented(c);');
    expect(NOT_RUN.exec(code.split('\n')[0]!)?.[1]).toBe('needs a worker');
    expect([...declaredNames(code)]).toEqual(['a', 'c']);
    const from: Provided = new Map([
      ['twice', 'core'],
      ['Crs', 'io'],
      ['demand', 'prelude'],
      ['source', 'prelude'],
    ]);
    from.typeOnly = new Set(['Crs']);
    const example = { code: 'const source = twice(demand) as Crs;' } as Example;
    // `source` is the example's own: importing it as well would not compile.
    expect(moduleText(example, from).split('\n')[0]).toBe(
      'import { twice } from "core"; import { demand } from "prelude"; import { type Crs } from "io";',
    );
  });
});
