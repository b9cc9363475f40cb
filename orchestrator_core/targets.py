"""What a workflow does to a subscription; decides how it is registered and guarded."""

from pydantic_forms.types import strEnum


class Target(strEnum):
    CREATE = "CREATE"
    MODIFY = "MODIFY"
    TERMINATE = "TERMINATE"
    SYSTEM = "SYSTEM"
    VALIDATE = "VALIDATE"
    RECONCILE = "RECONCILE"
