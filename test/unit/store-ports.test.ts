import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The persistence ports: every interface of the domain a store adapter implements. */
const PORTS = [
  'Store',
  'CertificateStore',
  'CertificatePdfArchive',
  'InstitutionStore',
  'TerminalStore',
  'StaffStore',
  'StaffSessionStore',
  'AuditLog',
  'RegistryStore',
  'GraduateCredentialStore',
  'ApplicationStore',
];

/**
 * Every method of every store port, with the parameters whose type can be called (a predicate,
 * a callback, a change function): a SQL adapter cannot run those inside its query.
 */
function functionTypedParameters(): { methods: number; offending: string[]; ports: string[] } {
  const program = ts.createProgram([path.join(root, 'service/domain/ports.ts'), ...ts.sys.readDirectory(path.join(root, 'service/domain'), ['.ts'])], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const offending: string[] = [];
  const ports: string[] = [];
  let methods = 0;

  const visitMembers = (owner: string, type: ts.Type, at: ts.Node) => {
    for (const member of checker.getPropertiesOfType(type)) {
      const memberType = checker.getTypeOfSymbolAtLocation(member, at);
      const signatures = memberType.getCallSignatures();
      if (signatures.length === 0) {
        // A group of operations (`reservations: { … }`).
        if (memberType.getFlags() & ts.TypeFlags.Object) visitMembers(`${owner}.${member.name}`, memberType, at);
        continue;
      }
      for (const signature of signatures) {
        methods++;
        for (const parameter of signature.getParameters()) {
          const parameterType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(parameter, at));
          const callable = parameterType.isUnion()
            ? parameterType.types.some((t) => t.getCallSignatures().length > 0)
            : parameterType.getCallSignatures().length > 0;
          if (callable) offending.push(`${owner}.${member.name}(${parameter.name})`);
        }
      }
    }
  };

  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(path.join(root, 'service/domain'))) continue;
    ts.forEachChild(file, (node) => {
      if (!ts.isInterfaceDeclaration(node) || !PORTS.includes(node.name.text)) return;
      ports.push(node.name.text);
      visitMembers(node.name.text, checker.getTypeAtLocation(node), node);
    });
  }
  return { methods, offending, ports };
}

describe('store ports', () => {
  it('take data only: no store method has a parameter that is a function', () => {
    const { methods, offending, ports } = functionTypedParameters();
    expect(ports.sort()).toEqual([...PORTS].sort());
    expect(methods).toBeGreaterThan(60);
    expect(offending).toEqual([]);
  });
});
