"""One module per constraint family; each ``add_<family>(ctx)`` adds hard parts to the model
and soft parts as named penalty terms on the context."""
