"""Lists what a Python notebook does with Java objects through py4j, from its syntax tree (no py4j, no Spark):
"call RECEIVER METHOD" for every call of a Java method and "attr RECEIVER NAME" for every other attribute read on a
Java object (py4j returns fields as JavaMember objects, so such a read is a bug). A RECEIVER is "jvm:a.b.C" (a class
reached through spark._jvm, directly or through a variable) or "RECEIVER#method" (what that method returned)."""
import ast
import sys

tree = ast.parse(open(sys.argv[1]).read(), sys.argv[1])
env = {}  # variable -> receiver descriptor


def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def java(node):
    """The receiver descriptor of an expression that is a Java class or object, else None."""
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.Attribute):
        name = dotted(node)
        if name and name.startswith("spark._jvm."):
            return "jvm:" + name[len("spark._jvm."):]
        base = java(node.value)
        if base and base.startswith("jvm:") and "#" not in base:
            return base + "." + node.attr  # still a class path (package or nested name)
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        base = java(node.func.value)
        if base:
            return base + "#" + node.func.attr
    return None


class Visitor(ast.NodeVisitor):
    def visit_Assign(self, node):
        self.visit(node.value)
        descriptor = java(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if descriptor:
                    env[target.id] = descriptor
                else:
                    env.pop(target.id, None)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Attribute):
            base = java(node.func.value)
            if base:
                print("call", base, node.func.attr)
            self.visit(node.func.value)
        else:
            self.visit(node.func)
        for a in node.args + [k.value for k in node.keywords]:
            self.visit(a)

    def visit_Attribute(self, node):
        base = java(node.value)
        if base and "#" in base:
            print("attr", base, node.attr)
        self.visit(node.value)


for statement in tree.body:
    Visitor().visit(statement)
