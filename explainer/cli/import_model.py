"""`explainer import`: a user's own model and weights, as a checkpoint every other command reads.

    explainer import mymodels:CharLSTM --weights char.safetensors --vocab chars.txt -o char.safetensors
    explainer trace char.safetensors --text-file some_file.py -o char-trace.safetensors

The work is `explainer/importing.py`; this module parses, writes and prints.
"""

from __future__ import annotations

import click

from . import options


@click.command("import")
@click.argument("factory")
@click.option("--weights", required=True, type=click.Path(),
              help="The model's state dict as a safetensors file (safetensors.torch.save_file(model.state_dict(), …)); "
                   "pickles (torch.save) are refused.")
@click.option("--vocab", type=click.Path(), default=None,
              help="For a character model: a UTF-8 text file whose characters, in order, are the token ids 0, 1, …; "
                   "or a JSON list of the characters.")
@click.option("--module", "module", default=None,
              help="The recurrent submodule to record, by its path (e.g. encoder.lstm), if the model has several.")
@options.output("Checkpoint to write (.safetensors).")
@options.force
def command(factory, weights, vocab, module, output, force) -> None:
    """Bring in a model trained elsewhere: FACTORY is MODULE:NAME, a class or function that builds it."""
    from ..files import check_output

    check_output(output, force, kind="checkpoint", inputs=[weights, vocab])
    from ..importing import import_checkpoint

    ckpt = import_checkpoint(factory, weights, vocab=vocab, module=module)
    ckpt.save(output)
    config = ckpt.meta["model"]
    what = f"{config['num_layers']}-layer {config['kind'].upper()} of {config['hidden_size']} units"
    vocab_said = f", {len(ckpt.meta['vocab'])} characters" if ckpt.meta.get("vocab") else ""
    click.echo(f"imported {factory}: a {what} ({ckpt.meta['train']['module']}{vocab_said}); its output at every "
               "step matches the original's")
    click.echo(f"wrote {output}")
