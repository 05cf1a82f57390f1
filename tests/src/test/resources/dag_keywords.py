"""Prints what an Airflow DAG file passes to SparkSubmitOperator, read from its syntax tree without Airflow:
"operator NAME" for every keyword of every SparkSubmitOperator(...) call (also inside the file's own functions),
"default_arg NAME" for every key of the dict assigned to default_args, "dag NAME" for every keyword of DAG(...),
and "path_safe IN OUT" for the file's path_safe(run_id) function applied to each run id given after the file."""
import ast
import sys

source = open(sys.argv[1]).read()
tree = ast.parse(source, sys.argv[1])

for node in ast.walk(tree):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "SparkSubmitOperator":
            if node.args:
                raise SystemExit("SparkSubmitOperator takes keyword arguments only")
            for kw in node.keywords:
                print("operator", kw.arg)
        elif node.func.id == "DAG":
            for kw in node.keywords:
                print("dag", kw.arg)
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "default_args" for t in node.targets):
        for key in node.value.keys:
            print("default_arg", key.value)

# The run-id filter, compiled alone (with the module's imports) and called on real run-id shapes.
functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "path_safe"]
if functions:
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) and not
               (isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("airflow"))
               and not (isinstance(n, ast.Import) and any(a.name.startswith("airflow") for a in n.names))]
    namespace = {}
    exec(compile(ast.Module(body=imports + functions, type_ignores=[]), sys.argv[1], "exec"), namespace)
    for run_id in sys.argv[2:]:
        print("path_safe", run_id, namespace["path_safe"](run_id))
