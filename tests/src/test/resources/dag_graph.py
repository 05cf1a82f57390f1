"""Prints an Airflow DAG file's task graph without importing Airflow: one line per task ("task ID COMMAND") and
one per edge ("edge A B"), from the file's syntax tree. Tasks are variables assigned from a call whose task_id is a
string (the first positional argument or task_id=), made by SparkSubmitOperator or a function of the file that
makes one; edges come from `a >> b >> c` statements."""
import ast
import sys

tree = ast.parse(open(sys.argv[1]).read(), sys.argv[1])

def calls_operator(node):
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "SparkSubmitOperator"
               for n in ast.walk(node))


# Task factories: SparkSubmitOperator itself and any function of this file that builds one.
factories = {"SparkSubmitOperator"} | {n.name for n in ast.walk(tree)
                                       if isinstance(n, ast.FunctionDef) and calls_operator(n)}
tasks = {}
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1 \
            and isinstance(node.targets[0], ast.Name):
        call = node.value
        if not (isinstance(call.func, ast.Name) and call.func.id in factories):
            continue
        task_id = None
        if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
            task_id = call.args[0].value
        for kw in call.keywords:
            if kw.arg == "task_id" and isinstance(kw.value, ast.Constant):
                task_id = kw.value.value
        if task_id is None:
            continue
        command = "?"
        if len(call.args) > 1 and isinstance(call.args[1], ast.List) and call.args[1].elts \
                and isinstance(call.args[1].elts[0], ast.Constant):
            command = call.args[1].elts[0].value
        tasks[node.targets[0].id] = task_id
        print("task", task_id, command)


def chain(expr):
    """The names in a >> b >> c, left to right."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.RShift):
        return chain(expr.left) + chain(expr.right)
    if isinstance(expr, ast.Name):
        return [expr.id]
    raise SystemExit("unsupported dependency expression: " + ast.dump(expr))


for node in ast.walk(tree):
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.BinOp) and isinstance(node.value.op, ast.RShift):
        names = chain(node.value)
        for a, b in zip(names, names[1:]):
            print("edge", tasks[a], tasks[b])
